import { hierarchy, treemap, treemapSquarify, type HierarchyRectangularNode } from 'd3-hierarchy';

/** A county with the cases of its townships, as groupByCounty gives them. */
export interface CountyCases {
  readonly name: string;
  readonly received: number;
  readonly townships: readonly { readonly code: string; readonly name?: string | null; readonly received: number }[];
}

export interface Tile {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly name: string;
  readonly received: number;
  /** The text drawn in the tile, or null when it would not fit whole. */
  readonly label: string | null;
}

export interface TreemapLayout {
  /** Counties, largest first, each with its index into the palette and the townships in it. */
  readonly counties: (Tile & { readonly colour: number; readonly townships: readonly Tile[] })[];
}

/** The county's name and count sit in a band across the top of its tile. */
export const BAND = 16;
export const COUNTY_FONT = 11;
export const TOWNSHIP_FONT = 10;

// Drawn text is never measured: a Chinese character is one em wide, a digit or space a little over half.
const textWidth = (text: string, font: number): number => [...text].reduce((w, ch) => w + (/[\d\s.]/.test(ch) ? 0.6 : 1) * font, 0);
const fits = (text: string, font: number, width: number, height: number): boolean => textWidth(text, font) + 6 <= width && font + 4 <= height;

interface Node {
  readonly name: string;
  readonly received?: number;
  readonly children?: Node[];
}

const tileOf = (node: HierarchyRectangularNode<Node>): Omit<Tile, 'label'> => ({
  x: node.x0,
  y: node.y0,
  width: node.x1 - node.x0,
  height: node.y1 - node.y0,
  name: node.data.name,
  received: node.value ?? 0,
});

/**
 * Counties and their townships as nested rectangles whose areas are their cases (squarified, as
 * d3-hierarchy lays them out), in a `width` × `height` box: a picture of the city with no map
 * tiles. A label is kept only where it fits whole: the county's name and count in its band (or its
 * name alone), a township's name inside it.
 */
export function layoutTreemap(counties: readonly CountyCases[], width: number, height: number): TreemapLayout {
  const data: Node = {
    name: '',
    children: counties
      .filter((c) => c.received > 0)
      .map((c) => ({ name: c.name, children: c.townships.filter((t) => t.received > 0).map((t) => ({ name: t.name ?? t.code, received: t.received })) })),
  };
  const root = treemap<Node>()
    .tile(treemapSquarify)
    .size([width, height])
    .paddingInner(1)
    .paddingTop((node) => (node.depth === 1 ? BAND : 0))(
    hierarchy(data)
      .sum((d) => d.received ?? 0)
      .sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || a.data.name.localeCompare(b.data.name)),
  );
  // A tile the padding leaves no room in (a handful of cases beside thousands) is not drawn.
  const drawn = (node: HierarchyRectangularNode<Node>): boolean => node.x1 > node.x0 && node.y1 > node.y0;
  return {
    counties: (root.children ?? []).flatMap((county, colour) => {
      if (!drawn(county)) return [];
      const tile = tileOf(county);
      const full = `${tile.name} ${tile.received}`;
      const band = Math.min(BAND, tile.height);
      const label = fits(full, COUNTY_FONT, tile.width, band) ? full : fits(tile.name, COUNTY_FONT, tile.width, band) ? tile.name : null;
      const townships = (county.children ?? []).filter(drawn).map((township) => {
        const t = tileOf(township);
        return { ...t, label: fits(t.name, TOWNSHIP_FONT, t.width, t.height) ? t.name : null };
      });
      return [{ ...tile, label, colour, townships }];
    }),
  };
}

/** The charts' colours: distinguishable, and dark enough for white labels on them. */
export const PALETTE = ['#1d5fbf', '#2f9e6e', '#d9822b', '#8e44ad', '#c0392b', '#16a2b8', '#7f8c2d', '#b5467a', '#5d6d7e', '#a0522d'] as const;

/** The colour of the n-th series or slice. */
export const colourAt = (n: number): string => PALETTE[n % PALETTE.length] ?? '#1d5fbf';

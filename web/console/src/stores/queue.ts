import { defineStore } from 'pinia';
import { ref } from 'vue';
import { NEWEST_FIRST, type CaseView, type QueueSort, type QueueTab } from '../logic/case.ts';

/** The workbench's list: one page of cases, the tab and filters it was fetched with, and the paging cursors. */
export const useQueueStore = defineStore('queue', () => {
  const items = ref<CaseView[]>([]);
  const tab = ref<QueueTab>('todo');
  const filters = ref({ q: '', overdue: false, from: '', to: '' });
  /** The order the API sorts the whole list in (the table's sortable columns change it). */
  const sort = ref<QueueSort>({ ...NEWEST_FIRST });
  /** Cursors of the pages before this one (to go back) and of the next page. */
  const previous = ref<(string | null)[]>([]);
  const cursor = ref<string | null>(null);
  const nextCursor = ref<string | null>(null);
  /** Ids of cases that arrived live since the page was fetched, for their highlight. */
  const arrived = ref<Set<string>>(new Set());

  function replace(page: { items: CaseView[]; nextCursor: string | null }): void {
    items.value = page.items;
    nextCursor.value = page.nextCursor;
  }

  /** A case pushed live: updated in place, or put at the top of the first page. */
  function upsert(item: CaseView, live: boolean): void {
    const at = items.value.findIndex((c) => c.id === item.id);
    if (at >= 0) items.value.splice(at, 1, item);
    else if (cursor.value === null) {
      items.value.unshift(item);
      if (live) arrived.value = new Set([...arrived.value, item.id]);
    }
  }

  function remove(id: string): void {
    items.value = items.value.filter((c) => c.id !== id);
  }

  /** Everything the list showed goes when the session ends. */
  function clear(): void {
    items.value = [];
    previous.value = [];
    cursor.value = null;
    nextCursor.value = null;
    arrived.value = new Set();
    filters.value = { q: '', overdue: false, from: '', to: '' };
    sort.value = { ...NEWEST_FIRST };
    tab.value = 'todo';
  }

  return { items, tab, filters, sort, previous, cursor, nextCursor, arrived, replace, upsert, remove, clear };
});

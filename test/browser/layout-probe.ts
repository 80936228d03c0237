import type { Page } from 'playwright-core';

/** What a user of a narrow window sees of the layout (measured in the page by `layoutFacts`). */
export interface LayoutFacts {
  viewport: number;
  /** The sticky header: its own overflow, and every element of it not wholly inside the viewport. */
  header: { scrollWidth: number; clientWidth: number; outside: string[] };
  /** The document; `scrollXAfterTrying` is where a sideways scroll of the window ended up. */
  document: { scrollWidth: number; clientWidth: number; scrollXAfterTrying: number };
  /** Each table's nearest scroll container, and how far a sideways scroll of it moved. */
  tables: { name: string; overflowX: string; scrollWidth: number; clientWidth: number; right: number; scrolledBy: number }[];
}

// Plain JS run in the page (the test project has no DOM types): scrolls the window and each
// table's container sideways as far as they go, notes how far they went, and scrolls them back.
const LAYOUT_PROBE =
  `(() => {
  const viewport = document.documentElement.clientWidth;
  const header = document.querySelector('header.topbar');
  const outside = [...header.querySelectorAll('*')]
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.left < -0.5 || r.right > viewport + 0.5); })
    .map((el) => el.tagName.toLowerCase() + '.' + el.className + ': ' + (el.textContent || '').slice(0, 40));
  window.scrollTo(10000, window.scrollY);
  const scrollXAfterTrying = window.scrollX;
  window.scrollTo(0, window.scrollY);
  const tables = [...document.querySelectorAll('table')].map((table) => {
    let box = table.parentElement;
    while (box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
    box.scrollLeft = 10000;
    const facts = { name: table.getAttribute('aria-label') || '', overflowX: getComputedStyle(box).overflowX, scrollWidth: box.scrollWidth, ` +
  `clientWidth: box.clientWidth, right: box.getBoundingClientRect().right, scrolledBy: box.scrollLeft };
    box.scrollLeft = 0;
    return facts;
  });
  return { viewport, header: { scrollWidth: header.scrollWidth, clientWidth: header.clientWidth, outside }, document: { scrollWidth: ` +
  `document.documentElement.scrollWidth, clientWidth: viewport, scrollXAfterTrying }, tables };
})()`;

export function layoutFacts(page: Page): Promise<LayoutFacts> {
  return page.evaluate<LayoutFacts>(LAYOUT_PROBE);
}

/** Waits until a form control (input or select) has the focus. */
export async function waitForFieldFocus(page: Page): Promise<void> {
  await page.waitForFunction("['INPUT', 'SELECT'].includes(document.activeElement && document.activeElement.tagName)");
}

/** Whether the element `selector` picks holds the focus. */
export function isFocused(page: Page, selector: string): Promise<boolean> {
  return page.evaluate<boolean>(`document.activeElement === document.querySelector(${JSON.stringify(selector)})`);
}

/**
 * Scrolls the window so that the element `selector` picks sits behind a sticky bar: under the
 * publish bar (its top just below the bar's top) or under the header (its bottom just above the
 * header's bottom), where a field is in the viewport and yet hidden.
 */
export async function scrollBehind(page: Page, selector: string, bar: 'publish' | 'header'): Promise<void> {
  await page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();
    const bar = document.querySelector(${JSON.stringify(bar === 'publish' ? '.publish' : 'header.topbar')}).getBoundingClientRect();
    window.scrollBy(0, ${bar === 'publish' ? 'el.top - bar.top - 4' : 'el.bottom - bar.bottom + 4'});
  })()`);
}

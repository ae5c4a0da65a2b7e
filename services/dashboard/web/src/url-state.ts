/**
 * The page's place in its URL: `#<section>?<params>` — the section shown, and the state of what it shows
 * (a table's page, sort and search as `<table>.page`, `<table>.sort`, `<table>.q`; the product page's store and
 * product), so that a link or a reload shows the same thing.
 */
export function route(): { name: string; params: URLSearchParams } {
  const hash = location.hash.slice(1);
  const at = hash.indexOf('?');
  return {
    name: decodeURIComponent(at < 0 ? hash : hash.slice(0, at)),
    params: new URLSearchParams(at < 0 ? '' : hash.slice(at + 1)),
  };
}

/** A link to a section with its params. */
export function href(name: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `#${name}${query ? `?${query}` : ''}`;
}

/** The product page of one product at one store. */
export const productHref = (store: string, product: string) => href('product', { store, product });

/** Changes some params of the current URL in place (no new history entry, no section change). */
export function setParams(updates: Record<string, string | null>): void {
  const { name, params } = route();
  for (const [key, value] of Object.entries(updates)) {
    if (value === null || value === '') params.delete(key);
    else params.set(key, value);
  }
  const query = params.toString();
  history.replaceState(null, '', `${location.pathname}${location.search}#${name}${query ? `?${query}` : ''}`);
}

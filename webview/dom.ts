type Child = Node | string | number | false | null | undefined;
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

/**
 * Builds an element: attributes (`on…` keys become listeners, booleans toggle attributes) and
 * children (strings become text nodes, so device-supplied text is never parsed as HTML).
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    el.append(typeof child === 'object' ? child : String(child));
  }
  return el;
}

/** Replaces what `parent` shows. */
export function show(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((c): c is Node | string | number => c !== false && c !== null && c !== undefined).map((c) => (typeof c === 'object' ? c : String(c))));
}

/**
 * Runs `draw`, which replaces parts of `root`, and gives keyboard focus and scroll positions back
 * to the replacements: elements that carry the same `data-key`. Without it a redraw (several a
 * second during an update) drops a keyboard user's focus to the page and scrolls lists to the top.
 */
export function redrawKeeping(root: Element, draw: () => void): void {
  const active = document.activeElement;
  const focusedKey = active && root.contains(active) ? active.closest('[data-key]')?.getAttribute('data-key') : undefined;
  const scrolled = [...root.querySelectorAll<HTMLElement>('[data-key]')].filter((e) => e.scrollTop > 0).map((e) => [e.dataset.key!, e.scrollTop] as const);
  draw();
  for (const [key, top] of scrolled) {
    const el = root.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    if (el) el.scrollTop = top;
  }
  if (focusedKey && !(document.activeElement && document.activeElement !== document.body && document.activeElement.isConnected)) {
    root.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
  }
}

const drawn = new WeakMap<Element, string>();

/**
 * Like `show`, but leaves `parent` alone when `child` would draw the same markup as last time: most
 * events change one section, and a section left in place keeps its focus, selection and scroll.
 * The markup is taken before `child` is connected, so what custom elements add later never counts.
 */
export function showChanged(parent: Element, child: HTMLElement): void {
  const html = child.outerHTML;
  if (drawn.get(parent) === html && parent.firstElementChild) return;
  drawn.set(parent, html);
  show(parent, child);
}

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
 * Runs `draw`, which replaces parts of `root`, and gives keyboard focus back to the replacement:
 * the element that carries the same `data-key`. Without it a redraw (several a second during an
 * update) drops a keyboard user's focus to the page. The lists that scroll (devices, event log,
 * console) stay in place across redraws, so their scroll positions need no keeping.
 */
export function redrawKeeping(root: Element, draw: () => void): void {
  const active = document.activeElement;
  const focusedKey = active && root.contains(active) ? active.closest('[data-key]')?.getAttribute('data-key') : undefined;
  draw();
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

/**
 * Keyed children that survive redraws: each redraw builds its elements, and an element that would
 * draw the same markup as the one drawn under its key keeps the one already in the page. Streaming
 * updates change a few rows or cards a frame; putting back the rest would make the page build their
 * controls and lay them out again each frame.
 */
export class KeyedChildren {
  private drawn = new Map<string, { html: string; el: HTMLElement }>();

  /** Shows `items` (key and freshly built element, in order) as the children of `parent`, between `before` and `after`. */
  show(parent: Element, items: [string, HTMLElement][], before: Node[] = [], after: Node[] = []): void {
    const next = new Map<string, { html: string; el: HTMLElement }>();
    for (const [key, el] of items) {
      const html = el.outerHTML;
      const old = this.drawn.get(key);
      next.set(key, old && old.html === html ? old : { html, el });
    }
    this.drawn = next;
    const wanted = [...before, ...[...next.values()].map((x) => x.el), ...after];
    const current = parent.childNodes;
    if (current.length === wanted.length && wanted.every((n, i) => current[i] === n)) return;
    // Same places, some elements new (nothing scrolled in or out): swap just those.
    if (current.length === wanted.length && wanted.every((n, i) => current[i] === n || !n.isConnected)) {
      wanted.forEach((n, i) => current[i] !== n && current[i]!.replaceWith(n));
      return;
    }
    parent.replaceChildren(...wanted);
  }

  /** Forgets what was drawn: the next `show` puts every element in afresh. */
  clear(): void {
    this.drawn.clear();
  }
}

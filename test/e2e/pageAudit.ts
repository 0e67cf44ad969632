/// <reference lib="dom" />
/**
 * Checks that run inside the live view's page (passed to Playwright's `frame.evaluate`, so each is
 * self-contained: no import, no helper from outside its body).
 */

export interface ContrastFailure {
  text: string;
  /** Where: tag and classes of the element and its nearest ancestors. */
  where: string;
  ratio: number;
  needed: number;
  color: string;
  background: string;
}

export interface PageAudit {
  /** Text elements measured. */
  measured: number;
  contrast: ContrastFailure[];
  /** The page is wider than its viewport (it would scroll sideways), with what sticks out. */
  sideways: { scrollWidth: number; clientWidth: number; widest: string[] } | undefined;
  /** Devices whose Update cell is not fully on screen. */
  updateHidden: string[];
  /** Scroll boxes that scroll sideways inside the page (the device table's wrapper). */
  innerSideways: string[];
  /** Console labels drawn on more than one line. */
  splitLabels: string[];
  /** Event-log lines whose text column is narrower than ~20 characters where the log has room for more. */
  crampedLog: number;
}

export interface FocusedControl {
  /** Tag, classes and text of the focused element (inside shadow roots too); undefined when focus left the page. */
  control: string | undefined;
  /** It draws an outline or a shadow ring (on itself or inside its shadow root). */
  ringed: boolean;
}

/** What has keyboard focus in the page, and whether it shows. */
export function focusedControl(): FocusedControl {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return { control: undefined, ringed: false };
  const host = (el.getRootNode() as ShadowRoot).host as Element | undefined;
  const named = host ?? el;
  const control = `${named.tagName.toLowerCase()}${named.classList.length ? '.' + [...named.classList].join('.') : ''}${named.getAttribute('data-section') ? `[${named.getAttribute('data-section')}]` : ''} "${(named.getAttribute('aria-label') ?? named.textContent ?? '').trim().slice(0, 30)}"`;
  const ringed = [el, ...(el.shadowRoot ? [...el.shadowRoot.querySelectorAll('*')] : [])].some((e) => {
    const s = getComputedStyle(e);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  });
  return { control, ringed };
}

/**
 * WCAG 2 contrast of every visible text element (shadow roots included) against the background it
 * sits on (layers composited up the flat tree, ancestors' opacity applied), plus the layout checks
 * the live view promises at any width: no sideways page scroll, the Update state on screen, console
 * labels in one piece, a readable event log.
 */
export function auditPage(): PageAudit {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  type Rgba = [number, number, number, number];
  /** Any CSS colour Chrome computes (rgb(), color(srgb …), color-mix results), as sRGB + alpha. */
  const parse = (css: string): Rgba => {
    const rgb = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(css);
    if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
    const srgb = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.e-]+))?\)$/.exec(css);
    if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0]!, d[1]!, d[2]!, d[3]! / 255];
  };
  const over = (top: Rgba, bottom: Rgba): Rgba => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: number) => (top[i]! * top[3] + bottom[i]! * bottom[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const luminance = (c: Rgba) => {
    const lin = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  };
  const hex = (c: Rgba) => `#${c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
  /** The parent in the rendered (flat) tree: slotted nodes sit inside their slot. */
  const up = (el: Element): Element | null => el.assignedSlot ?? el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null);
  const describe = (el: Element) => {
    const parts: string[] = [];
    for (let e: Element | null = el; e && parts.length < 3; e = up(e)) parts.push(`${e.tagName.toLowerCase()}${e.classList.length ? '.' + [...e.classList].join('.') : ''}`);
    return parts.join(' < ');
  };
  const pageBackground = (): Rgba => {
    const body = parse(getComputedStyle(document.body).backgroundColor);
    const html = parse(getComputedStyle(document.documentElement).backgroundColor);
    return over(body, over(html, [255, 255, 255, 1]));
  };
  const backgroundOf = (el: Element): Rgba => {
    const layers: Rgba[] = [];
    for (let e: Element | null = el; e; e = up(e)) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let result = layers.at(-1)?.[3] === 1 ? layers.pop()! : pageBackground();
    while (layers.length) result = over(layers.pop()!, result);
    return result;
  };
  const opacityOf = (el: Element) => {
    let o = 1;
    for (let e: Element | null = el; e; e = up(e)) o *= Number(getComputedStyle(e).opacity);
    return o;
  };

  const samples: Element[] = [];
  const walk = (root: Document | ShadowRoot) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node instanceof Element && node.shadowRoot) walk(node.shadowRoot);
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) continue;
      const parent = node.parentElement;
      if (!parent || ['OPTION', 'SCRIPT', 'STYLE', 'TITLE'].includes(parent.tagName)) continue;
      if (!parent.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rect = range.getBoundingClientRect();
      // Clipped to a pixel: text for screen readers only.
      if (rect.width <= 1 || rect.height <= 1) continue;
      if (!samples.includes(parent)) samples.push(parent);
    }
  };
  walk(document);
  // A closed select shows its value in its own colours.
  for (const select of document.querySelectorAll('select')) if (select.checkVisibility()) samples.push(select);

  const contrast: ContrastFailure[] = [];
  for (const el of samples) {
    const style = getComputedStyle(el);
    const background = backgroundOf(el);
    const fg = parse(style.color);
    const text = over([fg[0], fg[1], fg[2], fg[3] * opacityOf(el)], background);
    const [l1, l2] = [luminance(text), luminance(background)].sort((a, b) => b - a) as [number, number];
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    // WCAG "large": 18 pt, or 14 pt bold (1 pt = 4/3 CSS px).
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) {
      const own = el instanceof HTMLSelectElement ? el.selectedOptions[0]?.text ?? '' : [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('');
      contrast.push({ text: own.trim().slice(0, 60), where: describe(el), ratio: Math.round(ratio * 100) / 100, needed, color: hex(text), background: hex(background) });
    }
  }

  const root = document.documentElement;
  const clientWidth = root.clientWidth;
  let sideways: PageAudit['sideways'];
  if (root.scrollWidth > clientWidth) {
    const widest = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > clientWidth + 0.5)
      .slice(0, 5)
      .map((e) => `${describe(e)} (right ${Math.round(e.getBoundingClientRect().right)})`);
    sideways = { scrollWidth: root.scrollWidth, clientWidth, widest };
  }
  const updateHidden = [...document.querySelectorAll('tr[data-device] td.update')]
    .filter((td) => {
      const r = td.getBoundingClientRect();
      return !td.checkVisibility() || r.left < 0 || r.right > clientWidth + 0.5 || r.width < 1;
    })
    .map((td) => td.closest('tr')?.getAttribute('data-device') ?? '?');
  const innerSideways = [...document.querySelectorAll('.table-scroll, ol.log, .console-lines')].filter((e) => e.scrollWidth > e.clientWidth + 1).map(describe);
  const splitLabels = [...document.querySelectorAll('.console-lines .meaning')].filter((e) => e.getClientRects().length > 1).map((e) => e.textContent ?? '');
  let crampedLog = 0;
  for (const text of document.querySelectorAll<HTMLElement>('ol.log .text')) {
    const log = text.closest('ol')!;
    const em = parseFloat(getComputedStyle(text).fontSize);
    if (text.getBoundingClientRect().width < Math.min(log.clientWidth - 2, 20 * em)) crampedLog++;
  }

  return { measured: samples.length, contrast, sideways, updateHidden, innerSideways, splitLabels, crampedLog };
}

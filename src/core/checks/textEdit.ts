/**
 * A change to one file's text, by 0-based offset into the text the fix was computed from. The
 * extension turns these into a WorkspaceEdit; tests apply them with `applyTextEdits`.
 */
export interface TextEdit {
  /** The file as the check named it (a path for the CLI, a URI string in the editor). */
  file: string;
  offset: number;
  length: number;
  content: string;
}

/** Applies edits to one file's text; edits must not overlap (fixes produce one or two per file). */
export function applyTextEdits(text: string, edits: readonly Pick<TextEdit, 'offset' | 'length' | 'content'>[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.offset - a.offset)) out = out.slice(0, e.offset) + e.content + out.slice(e.offset + e.length);
  return out;
}

import type { ConfigDiagnostic } from './diagnostic';
import { hasErrors } from './diagnostic';
import type { PathIssue } from './issue';
import { isPlainObject, MergedConfig } from './merged';
import type { OtaConfig } from './model';
import { makeDiagnostic, parseConfigSource } from './parse';
import type { ConfigSource, ParsedConfig } from './parse';
import { checkSchema } from './schemaCheck';
import { checkSemantics } from './semantic';
import { toModel } from './toModel';

/** Everything known about one workspace folder's config after checking it. */
export interface ConfigCheckResult {
  /** The typed config, present only when no check reported an error. */
  config: OtaConfig | undefined;
  /** All problems, in file order: syntax, then schema, semantic and secret checks. */
  diagnostics: ConfigDiagnostic[];
  /** The merged value with the location of every value; undefined when a file did not parse. */
  merged: MergedConfig | undefined;
  files: ParsedConfig[];
}

/**
 * Checks the shared config with optional personal overrides, from texts (disk or unsaved editor
 * buffers). Never throws on bad input: every problem becomes a positioned diagnostic.
 */
export function checkConfigSources(shared: ConfigSource, local?: ConfigSource): ConfigCheckResult {
  const files = [parseConfigSource(shared), ...(local ? [parseConfigSource(local)] : [])];
  const syntax = files.flatMap((f) => f.diagnostics);
  // A syntax error leaves a guessed tree behind; checks over it would only add noise.
  if (syntax.length > 0) return { config: undefined, diagnostics: sortDiagnostics(syntax), merged: undefined, files };

  const merged = new MergedConfig(files);
  const diagnostics: ConfigDiagnostic[] = [];
  const [sharedFile, localFile] = files as [ParsedConfig, ParsedConfig | undefined];
  merged.value = merged.read(sharedFile, sharedFile.root!, []);
  if (localFile) {
    if (localFile.root!.type === 'object' && isPlainObject(merged.value)) {
      merged.overlay(localFile, localFile.root!);
    } else if (localFile.root!.type !== 'object') {
      diagnostics.push(
        makeDiagnostic(localFile, localFile.root!.offset, localFile.root!.length, {
          stage: 'schema',
          code: 'type',
          message: 'expected an object { … } with the settings to override, like the shared .vscode/ota.json',
        }),
      );
    }
  }
  diagnostics.push(...merged.diagnostics);
  const issues: PathIssue[] = [...checkSchema(merged.value), ...checkSemantics(merged.value)];
  for (const i of issues) {
    diagnostics.push(merged.diagnostic(i.path, i.target, { stage: i.stage, code: i.code, message: i.message, severity: i.severity ?? 'error' }));
  }
  const sorted = sortDiagnostics(dedupe(diagnostics));
  const config = !hasErrors(sorted) && isPlainObject(merged.value) ? toModel(merged.value) : undefined;
  return { config, diagnostics: sorted, merged, files };
}

function dedupe(list: ConfigDiagnostic[]): ConfigDiagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.file}\u0000${d.offset}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortDiagnostics(list: ConfigDiagnostic[]): ConfigDiagnostic[] {
  return [...list].sort((a, b) => (a.file === b.file ? a.offset - b.offset : a.file < b.file ? -1 : 1));
}

import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { CodeServer } from './codeServer';

/**
 * Deprecation warnings raised while a workbench ran: the lines the extension writes to its own
 * log for a deprecation raised by its code (src/extension/deprecationWatch.ts), and any Node
 * deprecation line in code-server's output. Node's own stderr line is not enough on its own: it
 * holds DEP0005 back whenever a caller up the stack sits in node_modules, as code-server itself does.
 */
export async function extensionHostDeprecations(server: CodeServer): Promise<string[]> {
  const logs = path.join(server.userDataDir, 'logs');
  const entries = await fs.readdir(logs, { recursive: true, withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.log')) continue;
    const file = path.join(e.parentPath, e.name);
    if (!file.includes('ota-workbench')) continue;
    for (const line of (await fs.readFile(file, 'utf8')).split('\n')) {
      if (/Node deprecation/.test(line)) found.push(`${path.relative(logs, file)}: ${line.trim()}`);
    }
  }
  for (const line of server.output().split('\n')) {
    if (/DeprecationWarning|\[DEP\d{4}\]/.test(line)) found.push(`code-server: ${line.trim()}`);
  }
  return found;
}

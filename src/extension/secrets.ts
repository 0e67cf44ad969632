import type * as vscode from 'vscode';
import type { SecretRef } from '../core/config/model';
import { OtaError } from '../core/errors';

/**
 * The keys this extension keeps in VS Code SecretStorage. `${secret:NAME}` in the workspace config
 * maps to `config:NAME`; signing keys generated in the editor live under `signing-key:ID`.
 */
export type SecretKey = `config:${string}` | `signing-key:${string}` | 'local-server-token';

/** Typed access to SecretStorage; values are never logged. */
export class Secrets {
  readonly onDidChange: vscode.Event<vscode.SecretStorageChangeEvent>;

  constructor(private readonly storage: vscode.SecretStorage) {
    this.onDidChange = storage.onDidChange;
  }

  get(key: SecretKey): Thenable<string | undefined> {
    return this.storage.get(`ota-workbench.${key}`);
  }

  store(key: SecretKey, value: string): Thenable<void> {
    return this.storage.store(`ota-workbench.${key}`, value);
  }

  delete(key: SecretKey): Thenable<void> {
    return this.storage.delete(`ota-workbench.${key}`);
  }

  /**
   * The value of a config credential reference: `${secret:NAME}` from SecretStorage, `${env:NAME}`
   * from the extension host's environment. Missing values say how to provide them.
   */
  async resolve(ref: SecretRef, field: string): Promise<string> {
    const value = ref.kind === 'secret' ? await this.get(`config:${ref.name}`) : process.env[ref.name];
    if (value) return value;
    throw new OtaError(`${field}: ${ref.text} has no value`, {
      code: 'secret-missing',
      hint:
        ref.kind === 'secret'
          ? `run "OTA: Store Secret" and enter the value for ${ref.name}`
          : `set the environment variable ${ref.name} before starting VS Code`,
    });
  }
}

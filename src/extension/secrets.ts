import * as vscode from 'vscode';
import { isDocumentedCredentialEnv } from '../core/config/envCredential';
import type { SecretRef } from '../core/config/model';
import { OtaError } from '../core/errors';

/**
 * The keys this extension keeps in VS Code SecretStorage. `${secret:NAME}` in the workspace config
 * maps to `config:NAME`; signing keys generated in the editor live under `signing-key:ID`.
 */
export type SecretKey = `config:${string}` | `signing-key:${string}` | 'local-server-token' | 'local-device-token';

/** Typed access to SecretStorage; values are never logged. */
export class Secrets {
  readonly onDidChange: vscode.Event<vscode.SecretStorageChangeEvent>;

  constructor(
    private readonly storage: vscode.SecretStorage,
    /** Where the environment variables the user agreed to send as credentials are remembered. */
    private readonly memento?: vscode.Memento,
  ) {
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
    if (ref.kind === 'env') await this.confirmEnv(ref.name, field);
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

  /**
   * A workspace config comes with a repository: `${env:ANY_NAME}` in it must not send any of the
   * user's environment to a server. Documented `OTA_` names pass; another name is sent only once
   * the user agreed (asked once per name, remembered).
   */
  private async confirmEnv(name: string, field: string): Promise<void> {
    if (isDocumentedCredentialEnv(name)) return;
    const confirmed = this.memento?.get<string[]>(confirmedEnvKey) ?? [];
    if (confirmed.includes(name)) return;
    const allow = vscode.l10n.t('Send It');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('The workspace OTA config wants to send the environment variable {0} as {1}.', name, field),
      {
        modal: true,
        detail: vscode.l10n.t('Only agree if you wrote that reference yourself: a config from a cloned repository could name any credential in your environment. OTA_ variables are sent without asking.'),
      },
      allow,
    );
    if (answer !== allow) {
      throw new OtaError(`${field}: sending the environment variable ${name} was not allowed`, {
        code: 'secret-refused',
        hint: `rename the variable to start with OTA_ (for example OTA_SERVER_TOKEN), or agree when asked`,
      });
    }
    await this.memento?.update(confirmedEnvKey, [...confirmed, name]);
  }
}

const confirmedEnvKey = 'ota-workbench.confirmedCredentialEnv';

import type { SecretRef } from './model';

const refPattern = /^\$\{(secret|env):([A-Za-z_][A-Za-z0-9_.-]*)\}$/;

/** Parses `${secret:NAME}` / `${env:NAME}`; anything else is not a reference. */
export function parseSecretRef(text: string): SecretRef | undefined {
  const m = refPattern.exec(text);
  return m ? { kind: m[1] as SecretRef['kind'], name: m[2]!, text } : undefined;
}

/** The error text for a credential written literally: names the field and says how to move it. */
export function literalSecretMessage(field: string): string {
  return (
    `${field} holds a literal credential: expected a reference such as "\${secret:NAME}" or "\${env:NAME}". ` +
    `Move the value out of the file: in VS Code store it in Secret Storage (it is read as \${secret:NAME}); ` +
    `in a terminal or CI set an environment variable and write \${env:NAME}. ` +
    `If this value was committed, revoke it.`
  );
}

/** PEM private keys pasted into any field are always an error, whatever the field. */
export function looksLikePrivateKey(text: string): boolean {
  return /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/.test(text);
}

/** Names of settings that hold credentials (used for build environment variables). */
export function looksLikeSecretName(name: string): boolean {
  return /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential|auth)/i.test(name);
}

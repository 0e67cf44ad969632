/**
 * Environment variables a workspace config may send to a server as a credential without asking
 * the user: the `OTA_` names this tool documents (OTA_SERVER_TOKEN, OTA_SECRET_*). Any other name
 * (`${env:AWS_SECRET_ACCESS_KEY}` in a cloned repository's config) needs the user's yes once.
 */
export function isDocumentedCredentialEnv(name: string): boolean {
  return /^OTA_[A-Z0-9_]+$/.test(name);
}

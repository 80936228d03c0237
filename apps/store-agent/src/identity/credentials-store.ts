import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { publicKeySchema } from '@app/contracts';

export const CREDENTIALS_FILE = 'credentials.json';

export const storedCredentialsSchema = z.object({
  cloudUrl: z.string(),
  nodeId: z.string().min(1),
  tenantId: z.string().min(1),
  storeId: z.string().min(1),
  nodeSecret: z.string().min(16),
  accessToken: z.string().min(1),
  accessTokenExpiresAt: z.string(),
  agentToken: z.string().min(1),
  signingKeys: z.array(publicKeySchema).min(1),
  clusterPublicKey: z.string().min(1),
  signingKeysToken: z.string().min(1),
});
export type StoredCredentials = z.infer<typeof storedCredentialsSchema>;

/**
 * The node's credentials on disk: `AGENT_DATA_DIR/credentials.json`, readable by the agent's user
 * only (0600), replaced atomically (a temporary file renamed over it), so a crash mid-write leaves
 * the old file or the new one, never half of one.
 */
export class CredentialsStore {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, CREDENTIALS_FILE);
  }

  /** The stored credentials, null when there are none; throws when the file is there but unusable. */
  load(): StoredCredentials | null {
    if (!existsSync(this.file)) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      throw new Error(`${this.file} is not valid JSON (${(error as Error).message}): remove it and register again with a new BOOTSTRAP_TOKEN`);
    }
    const parsed = storedCredentialsSchema.safeParse(raw);
    if (!parsed.success)
      throw new Error(
        `${this.file} is not a credentials file (${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}): remove ` +
          `it and register again`,
      );
    return parsed.data;
  }

  save(credentials: StoredCredentials): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flush: true });
    chmodSync(tmp, 0o600); // the mode above is masked by the umask
    renameSync(tmp, this.file);
  }
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes its config under the user folder; keep it out of $HOME and keep logs quiet
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'facespace-n8n-'));
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.NODE_ENV ??= 'test';

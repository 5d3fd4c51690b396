import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// before n8n-core loads: its config goes to a cache folder, not the home folder, and its logger stays quiet
const folder = join(__dirname, '..', 'n8n-user');
mkdirSync(folder, { recursive: true });
process.env.N8N_USER_FOLDER ??= folder;
process.env.N8N_LOG_LEVEL ??= 'silent';

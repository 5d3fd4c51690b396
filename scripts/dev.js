// @ts-check
'use strict';

// npm run dev — the real n8n editor with this package loaded, the simulator running, a FaceSpace
// credential pointing at it and the examples imported. Open http://localhost:5678; Ctrl-C stops all.

const http = require('node:http');

const { startSimulator } = require('../simulator');
const { join } = require('node:path');

const { CACHE, ensureN8n, importExamples, prepareUserFolder, startN8n, log } = require('./n8n-runtime');

async function main() {
	const port = Number(process.env.N8N_PORT ?? 5678);
	ensureN8n();
	log('packing the package and installing it as a community package…');
	// one lasting user folder, so workflows made in the editor survive a restart
	const { folder } = prepareUserFolder(join(CACHE, '..', 'dev-user'));
	const sim = await startSimulator({ port: 8787, apiKey: 'demo-key', speed: 10 });
	// a webhook receiver for the examples, printing what it gets
	const hook = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			log(`webhook ${req.method} ${req.url} ${body}`);
			res.end('{"ok":true}');
		});
	});
	await new Promise((resolve) => hook.listen(8790, '127.0.0.1', () => resolve(undefined)));
	importExamples(folder, { baseUrl: sim.baseUrl, apiKey: 'demo-key', webhookOrigin: 'http://127.0.0.1:8790' });
	const n8n = await startN8n(folder, port);
	log(`n8n is running at http://localhost:${port} (user folder ${folder})`);
	log(`FaceSpace simulator at ${sim.baseUrl} (key demo-key, clock ×10); webhook receiver at http://127.0.0.1:8790`);
	log('Ctrl-C stops n8n, the simulator and the receiver');
	const stop = async () => {
		await n8n.stop();
		await sim.close();
		hook.close();
		process.exit(0);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`dev: ${error.stack}\n`);
	process.exit(1);
});

// @ts-check
'use strict';

// npm run test:n8n — the package in a real n8n: packed, installed as a community package, the
// examples imported and executed with n8n's own CLI against the simulator and a local webhook
// receiver, then the webhook example published and run live by `n8n start`.

const assert = require('node:assert/strict');
const http = require('node:http');
const { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const { startSimulator } = require('../simulator');
const { CACHE, PACKAGE_DIR, ensureN8n, prepareUserFolder, n8n, startN8n, log } = require('./n8n-runtime');

const API_KEY = 'demo-key-5f2c9e';
let passed = 0;
let failed = 0;

async function check(/** @type {string} */ name, /** @type {() => unknown} */ fn) {
	try {
		await fn();
		passed++;
		log(`✓ ${name}`);
	} catch (error) {
		failed++;
		log(`✗ ${name}\n${/** @type {Error} */ (error).stack}`);
	}
}

/** A webhook receiver that records every request. */
async function receiver() {
	/** @type {{ method: string, path: string, headers: http.IncomingHttpHeaders, body: any }[]} */
	const received = [];
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (c) => (text += c));
		req.on('end', () => {
			let body = text;
			try {
				body = JSON.parse(text);
			} catch {
				// keep the text
			}
			received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return { origin: `http://127.0.0.1:${address.port}`, received, close: () => new Promise((r) => server.close(() => r(undefined))) };
}

/** The JSON document at the end of `n8n execute --rawOutput`, after its log lines. */
function rawOutput(/** @type {string} */ stdout) {
	const start = stdout.indexOf('\n{');
	const text = start >= 0 ? stdout.slice(start + 1) : stdout.slice(stdout.indexOf('{'));
	return JSON.parse(text);
}


/** Add the workflow_history row `publish:workflow` needs, which `import:workflow` does not write. */
async function addHistory(/** @type {string} */ folder, /** @type {any} */ workflow) {
	const sqlite3 = require(join(CACHE, 'node_modules', 'sqlite3'));
	const db = new sqlite3.Database(join(folder, '.n8n', 'database.sqlite'));
	const run = (/** @type {string} */ sql, /** @type {unknown[]} */ params = []) =>
		new Promise((resolve, reject) => db.run(sql, params, (/** @type {Error | null} */ e) => (e ? reject(e) : resolve(undefined))));
	const columns = await new Promise((resolve, reject) => db.all('PRAGMA table_info(workflow_history)', (/** @type {Error | null} */ e, /** @type {{ name: string }[]} */ rows) => (e ? reject(e) : resolve(rows.map((r) => r.name)))));
	const now = new Date().toISOString().replace('T', ' ').slice(0, 23);
	/** @type {Record<string, unknown>} */
	const values = { versionId: workflow.versionId, workflowId: workflow.id, authors: 'test:n8n', createdAt: now, updatedAt: now, nodes: JSON.stringify(workflow.nodes), connections: JSON.stringify(workflow.connections), name: workflow.name, autosaved: 0 };
	const names = /** @type {string[]} */ (columns).filter((c) => c in values);
	await run(`INSERT OR REPLACE INTO workflow_history (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, names.map((n) => values[n]));
	await new Promise((resolve) => db.close(() => resolve(undefined)));
}

async function main() {
	ensureN8n();
	log('packing the package and installing it as a community package…');
	const { folder, tarball } = prepareUserFolder();
	log(`user folder ${folder}, tarball ${tarball}`);

	const sim = await startSimulator({ port: 0, apiKey: API_KEY, speed: 60, seed: 11 });
	const hook = await receiver();
	const files = join(folder, '.n8n-files');
	const work = mkdtempSync(join(tmpdir(), 'facespace-examples-'));

	writeFileSync(join(work, 'credentials.json'), JSON.stringify([{ id: 'facespaceLocal01', name: 'FaceSpace (local simulator)', type: 'faceSpaceApi', data: { apiKey: API_KEY, baseUrl: sim.baseUrl } }]));
	n8n(folder, ['import:credentials', `--input=${join(work, 'credentials.json')}`]);
	/** @type {Record<string, any>} */
	const workflows = {};
	for (const file of readdirSync(join(PACKAGE_DIR, 'examples')).filter((f) => f.endsWith('.json'))) {
		const text = readFileSync(join(PACKAGE_DIR, 'examples', file), 'utf8').replaceAll('http://127.0.0.1:8790', hook.origin).replaceAll('/home/node/.n8n-files', files);
		writeFileSync(join(work, file), text);
		n8n(folder, ['import:workflow', `--input=${join(work, file)}`]);
		workflows[file] = JSON.parse(text);
	}

	const execute = (/** @type {string} */ file) => rawOutput(n8n(folder, ['execute', `--id=${workflows[file].id}`, '--rawOutput']));

	await check("the attendance example, run by n8n execute, posts yesterday's summary as one report", () => {
		hook.received.length = 0;
		execute('facespace-daily-attendance.json');
		const reports = hook.received.filter((r) => r.path === '/facespace-attendance');
		assert.equal(reports.length, 1);
		assert.ok(reports[0].body.people.length > 0, 'people in the report');
		assert.deepEqual(Object.keys(reports[0].body.people[0]).sort(), ['cameras', 'firstSeen', 'lastSeen', 'person', 'sightings']);
		assert.equal(reports[0].headers['x-api-key'], undefined);
		assert.ok(sim.requests().every((/** @type {any} */ r) => r.apiKey === 'valid'), 'every FaceSpace request carried the key');
	});

	// the trigger examples run the way users run them: published, with `n8n start` polling live
	log('publishing the trigger examples and starting n8n…');
	for (const file of ['facespace-events-to-webhook.json', 'facespace-events-to-log-file.json']) {
		await addHistory(folder, workflows[file]);
		n8n(folder, ['publish:workflow', `--id=${workflows[file].id}`]);
	}
	hook.received.length = 0;
	const port = 5690 + Math.floor(Math.random() * 50);
	const server = await startN8n(folder, port);
	const liveStart = sim.now();
	try {
		await check('n8n serves the nodes with their icons and the credential type', async () => {
			const nodes = /** @type {any[]} */ (await (await fetch(`http://127.0.0.1:${port}/types/nodes.json`)).json());
			const ours = nodes.filter((n) => String(n.name).startsWith('n8n-nodes-facespace.'));
			assert.deepEqual(ours.map((n) => n.name).sort(), ['n8n-nodes-facespace.faceSpace', 'n8n-nodes-facespace.faceSpaceTrigger']);
			for (const n of ours) {
				const icon = await fetch(`http://127.0.0.1:${port}/${n.iconUrl.light}`);
				assert.equal(icon.status, 200, `icon ${n.iconUrl.light}`);
				assert.match(await icon.text(), /<svg/);
			}
			const credentials = /** @type {any[]} */ (await (await fetch(`http://127.0.0.1:${port}/types/credentials.json`)).json());
			assert.ok(credentials.some((c) => c.name === 'faceSpaceApi'));
		});

		await new Promise((resolve) => setTimeout(resolve, 45_000));
		await check('live: the webhook example posts each event with the custom header and without the API key', () => {
			const posts = hook.received.filter((r) => r.path === '/facespace-events');
			assert.ok(posts.length > 0, 'events were posted');
			for (const post of posts) {
				assert.equal(post.headers['x-webhook-token'], 'change-me');
				assert.equal(post.headers['x-api-key'], undefined);
				assert.ok(!JSON.stringify(post).includes(API_KEY));
				assert.match(post.body.event, /^person(Arrived|Left)$/);
			}
		});

		await check('live: the log-file example appends one JSON line per event', () => {
			const path = join(files, 'facespace-events.log');
			assert.ok(existsSync(path), 'the log file exists');
			const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
			assert.ok(lines.length > 0);
			for (const line of lines) assert.match(line.event, /^person(Arrived|Left)$/);
			const posted = new Set(hook.received.filter((r) => r.path === '/facespace-events').map((r) => r.body.eventId));
			// both workflows watch the same cameras: the file holds the events the webhook got, give or take the last poll
			const common = lines.filter((l) => posted.has(l.eventId)).length;
			assert.ok(common >= Math.min(lines.length, posted.size) - 4, `${common} of ${lines.length} lines were also posted`);
		});

		await check('live: the receiver got the arrivals the ground truth says happened', async () => {
			const liveEnd = sim.now();
			const truth = /** @type {any} */ (await (await fetch(`${sim.origin}/__simulator/truth?from=${new Date(liveStart - 3_600_000).toISOString()}`)).json());
			const events = hook.received.filter((r) => r.path === '/facespace-events').map((r) => r.body);
			assert.ok(events.length > 5, `received ${events.length} events`);
			const arrivals = events.filter((e) => e.event === 'personArrived');
			for (const e of arrivals) {
				const match = truth.intervals.some((/** @type {any} */ iv) => iv.camera === e.camera && iv.person === e.person && Date.parse(iv.begin) >= liveStart - 120_000 && Date.parse(iv.begin) <= liveEnd);
				assert.ok(match, `arrival ${e.person} at ${e.camera} is in the ground truth`);
			}
			const keys = events.map((e) => e.eventId);
			assert.equal(new Set(keys).size, keys.length, 'no event twice');
			// at ×60, a 1 s poll sees every stay longer than three minutes of scenario time
			const begun = truth.intervals.filter((/** @type {any} */ iv) => Date.parse(iv.begin) > liveStart + 120_000 && Date.parse(iv.begin) < liveEnd - 120_000 && Date.parse(iv.end) - Date.parse(iv.begin) > 180_000);
			for (const iv of begun) assert.ok(arrivals.some((e) => e.person === iv.person && e.camera === iv.camera), `arrival of ${iv.person} at ${iv.camera}`);
		});
	} finally {
		await server.stop();
		await hook.close();
		await sim.close();
	}
	process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
	process.exit(failed === 0 ? 0 : 1);
}

main().catch((error) => {
	process.stderr.write(`test:n8n: ${error.stack}\n`);
	process.stdout.write(`\n${passed} passed, ${failed + 1} failed\n`);
	process.exit(1);
});

// @ts-check
'use strict';

// A real n8n, installed once into a cache folder outside the repository, with this package
// installed into a user folder the way n8n installs community packages.

const { execFile, execFileSync, spawn } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } = require('node:fs');
const { homedir, tmpdir } = require('node:os');
const { join } = require('node:path');

const N8N_VERSION = '2.0.3';
const PACKAGE_DIR = join(__dirname, '..');
const CACHE = process.env.FACESPACE_N8N_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-facespace', `n8n-${N8N_VERSION}`);
const N8N_BIN = join(CACHE, 'node_modules', 'n8n', 'bin', 'n8n');

const log = (/** @type {string} */ message) => process.stdout.write(`[n8n] ${message}\n`);

/** Install n8n into the cache on first use (about 6 minutes: sqlite3 compiles from source). */
function ensureN8n() {
	if (existsSync(N8N_BIN) && existsSync(join(CACHE, 'node_modules', 'sqlite3', 'build', 'Release'))) return;
	log(`installing n8n ${N8N_VERSION} into ${CACHE} (first run only, about 6 minutes)…`);
	mkdirSync(CACHE, { recursive: true });
	writeFileSync(
		join(CACHE, 'package.json'),
		JSON.stringify(
			{
				name: 'facespace-n8n-runtime',
				private: true,
				dependencies: { n8n: N8N_VERSION },
				// n8n's own xlsx points at a CDN this network cannot reach
				overrides: { xlsx: 'npm:xlsx@0.18.5' },
				allowScripts: { sqlite3: true },
			},
			null,
			2,
		),
	);
	execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: CACHE, stdio: 'inherit' });
}

/** Pack this package and install the tarball into an n8n user folder (a fresh one by default), as a community package. */
function prepareUserFolder(folder = mkdtempSync(join(tmpdir(), 'facespace-n8n-user-'))) {
	const nodesDir = join(folder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	const packDir = mkdtempSync(join(tmpdir(), 'facespace-pack-'));
	execFileSync('npm', ['pack', '--pack-destination', packDir, '--loglevel=error'], { cwd: PACKAGE_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
	const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz')) ?? '');
	if (!existsSync(join(nodesDir, 'package.json'))) writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
	execFileSync('npm', ['install', tarball, '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: nodesDir, stdio: 'inherit' });
	mkdirSync(join(folder, '.n8n-files'), { recursive: true });
	return { folder, tarball };
}

/** Environment for n8n commands on a user folder. */
function n8nEnv(/** @type {string} */ folder, extra = {}) {
	return {
		...process.env,
		N8N_USER_FOLDER: folder,
		N8N_LOG_LEVEL: 'info',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: '5699',
		N8N_RESTRICT_FILE_ACCESS_TO: join(folder, '.n8n-files'),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		...extra,
	};
}

/** Run an n8n CLI command and return its stdout. */
function n8n(/** @type {string} */ folder, /** @type {string[]} */ args, extraEnv = {}) {
	try {
		return execFileSync(process.execPath, [N8N_BIN, ...args], { env: n8nEnv(folder, extraEnv), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
	} catch (error) {
		const { stdout = '', stderr = '' } = /** @type {{ stdout?: string, stderr?: string }} */ (error);
		throw new Error(`n8n ${args.join(' ')} failed:\n${String(stdout).slice(-1500)}\n${String(stderr).slice(-1500)}`);
	}
}

/** Run an n8n CLI command without blocking this process (whose simulator must keep answering). */
function n8nAsync(/** @type {string} */ folder, /** @type {string[]} */ args, extraEnv = {}) {
	return new Promise((resolve, reject) => {
		execFile(process.execPath, [N8N_BIN, ...args], { env: n8nEnv(folder, extraEnv), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`n8n ${args.join(' ')} failed:\n${stdout.slice(-1500)}\n${stderr.slice(-1500)}`));
			else resolve(stdout);
		});
	});
}

/** Start `n8n start` and resolve once /healthz answers. */
async function startN8n(/** @type {string} */ folder, /** @type {number} */ port, extraEnv = {}) {
	const child = spawn(process.execPath, [N8N_BIN, 'start'], { env: n8nEnv(folder, { N8N_PORT: String(port), ...extraEnv }), stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (c) => (output += c));
	child.stderr.on('data', (c) => (output += c));
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`n8n exited ${child.exitCode}:\n${output.slice(-3000)}`);
		try {
			const res = await fetch(`http://127.0.0.1:${port}/healthz`);
			if (res.ok) return { child, output: () => output, stop: () => stopChild(child) };
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	child.kill('SIGKILL');
	throw new Error(`n8n did not become healthy within 120 s:\n${output.slice(-3000)}`);
}

function stopChild(/** @type {import('node:child_process').ChildProcess} */ child) {
	return new Promise((resolve) => {
		if (child.exitCode !== null) return resolve(undefined);
		const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
		child.once('exit', () => {
			clearTimeout(kill);
			resolve(undefined);
		});
		child.kill('SIGTERM');
	});
}

/**
 * Import a FaceSpace credential for `baseUrl` and the example workflows, their webhook URLs pointed at
 * `webhookOrigin` and their files kept in the user folder's allowed folder. Returns the workflows by file.
 * @param {string} folder @param {{ baseUrl: string, apiKey: string, webhookOrigin: string }} target
 */
function importExamples(folder, target) {
	const work = mkdtempSync(join(tmpdir(), 'facespace-examples-'));
	writeFileSync(join(work, 'credentials.json'), JSON.stringify([{ id: 'facespaceLocal01', name: 'FaceSpace (local simulator)', type: 'faceSpaceApi', data: { apiKey: target.apiKey, baseUrl: target.baseUrl } }]));
	n8n(folder, ['import:credentials', `--input=${join(work, 'credentials.json')}`]);
	/** @type {Record<string, any>} */
	const workflows = {};
	for (const file of readdirSync(join(PACKAGE_DIR, 'examples')).filter((f) => f.endsWith('.json'))) {
		const text = readFileSync(join(PACKAGE_DIR, 'examples', file), 'utf8')
			.replaceAll('http://127.0.0.1:8790', target.webhookOrigin)
			.replaceAll('/home/node/.n8n-files', join(folder, '.n8n-files'));
		writeFileSync(join(work, file), text);
		n8n(folder, ['import:workflow', `--input=${join(work, file)}`]);
		workflows[file] = JSON.parse(text);
	}
	return workflows;
}

module.exports = {
	importExamples,
	n8nAsync, CACHE, N8N_BIN, N8N_VERSION, PACKAGE_DIR, ensureN8n, prepareUserFolder, n8n, n8nEnv, startN8n, stopChild, log };

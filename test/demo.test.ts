// `npm run demo` as a user runs it: live events from the trigger, then the attendance table.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

import { PACKAGE_DIR } from './harness/n8n';

const demo = join(PACKAGE_DIR, '.cache', 'scripts', 'scripts', 'demo.js');

function runDemo(args: string[], onLine?: (line: string, child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; out: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [demo, ...args], { cwd: PACKAGE_DIR });
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			for (const line of chunk.toString().split('\n')) onLine?.(line, child);
		});
		child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.on('exit', (code) => resolve({ code, out }));
	});
}

describe('npm run demo', () => {
	beforeAll(() => {
		execFileSync(process.execPath, [join(PACKAGE_DIR, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.scripts.json'], { cwd: PACKAGE_DIR });
	}, 60_000);

	it('shows live arrivals and departures with no API key, then an attendance table, and stops by itself', async () => {
		const { code, out } = await runDemo(['--seconds', '6']);
		expect(code).toBe(0);
		expect(out).toMatch(/FaceSpace simulator at http:\/\/127\.0\.0\.1:\d+\/facespace/);
		expect(out).toMatch(/→ arrived {2}\S/);
		expect(out).toMatch(/now {2}.*polls\/s/);
		expect(out).toMatch(/Attendance .* \(FaceSpace node, Summarize\)/);
		expect(out).toMatch(/Person +First seen +Last seen +Sightings +Cameras/);
		expect(out).not.toMatch(/Error|demo:/);
	}, 30_000);

	it('exits cleanly on Ctrl-C, still printing the summary', async () => {
		let sent = false;
		const { code, out } = await runDemo(['--seconds', '0'], (line, child) => {
			if (!sent && line.includes('polls/s')) {
				sent = true;
				child.kill('SIGINT');
			}
		});
		expect(sent).toBe(true);
		expect(code).toBe(0);
		expect(out).toMatch(/Attendance/);
	}, 30_000);
});

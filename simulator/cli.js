#!/usr/bin/env node
// @ts-check
'use strict';

// npm run simulator -- --port 8787 --api-key demo-key --seed 1 [--speed 60] [--faults 503@0.1,latency=20-40]

const { parseArgs } = require('node:util');
const { startSimulator } = require('./server');

const HELP = `FaceSpace API simulator

  --port N           port to listen on (default 8787; 0 picks a free one)
  --host H           address to bind (default 127.0.0.1)
  --api-key K        the key clients must send as x-api-key (default demo-key)
  --prefix P         path the API lives under (default /facespace)
  --seed N           scenario seed (default 1)
  --cameras N        number of cameras (default 4)
  --people N         number of people (default 12)
  --history-days N   days of pre-generated history (default 3)
  --resight S        seconds between sightings of a person who stays (default 60)
  --speed X          scenario clock speed, 1 = real time (default 1)
  --start ISO        scenario start time (default now)
  --faults LIST      KIND[=ARG][@RATE][*COUNT][/PATH],... e.g. 503@0.1,429=5*2,latency=20-40,stop=30
`;

async function main() {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '8787' },
			host: { type: 'string', default: '127.0.0.1' },
			'api-key': { type: 'string', default: 'demo-key' },
			prefix: { type: 'string', default: '/facespace' },
			seed: { type: 'string', default: '1' },
			cameras: { type: 'string' },
			people: { type: 'string' },
			'history-days': { type: 'string' },
			resight: { type: 'string' },
			speed: { type: 'string', default: '1' },
			start: { type: 'string' },
			faults: { type: 'string', default: '' },
			help: { type: 'boolean', default: false },
		},
	});
	if (values.help) return void process.stdout.write(HELP);
	const num = (/** @type {string | undefined} */ v) => (v === undefined ? undefined : Number(v));
	const sim = await startSimulator({
		port: Number(values.port),
		host: values.host,
		apiKey: values['api-key'],
		prefix: values.prefix,
		seed: Number(values.seed),
		cameras: num(values.cameras),
		people: num(values.people),
		historyDays: num(values['history-days']),
		resightSeconds: num(values.resight),
		speed: Number(values.speed),
		start: values.start,
		faults: values.faults,
	});
	process.stdout.write(`FaceSpace simulator listening on ${sim.baseUrl}\n`);
	const stop = () => sim.close().then(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((e) => {
	process.stderr.write(`simulator: ${e.message}\n`);
	process.exit(1);
});

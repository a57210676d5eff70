import { referenceServers } from './src/servers/index.ts';
import { embeddedBaseUrl } from './src/config/run-env.ts';
const s = await referenceServers['cinder-v2']!.start({ token: 'tok-secret-123', faults: 'unknown-id-500' === 'none' ? [] : ['unknown-id-500'] });
console.log(embeddedBaseUrl('cinder-v2', s.url));
process.on('SIGTERM', async () => { await s.close(); process.exit(0); });
setInterval(() => {}, 1000);

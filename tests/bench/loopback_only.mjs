// What every browser benchmark does first: make sure its traffic stays on loopback. Outside a network
// namespace with only `lo`, the script runs itself again inside one (unshare --net, as the browser
// tests do) and exits with that run's status; inside, it returns and the benchmark goes on.
import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';

// `script`: the benchmark's import.meta.url; `quick`: pass --quick on to the inner run.
export function stayOnLoopback(script, { quick }) {
  const onlyLoopback = Object.values(networkInterfaces()).every((addresses) => addresses.every((a) => a.internal));
  if (onlyLoopback) return;
  const inner = `ip link set lo up && exec node ${JSON.stringify(fileURLToPath(script))} ${quick ? '--quick' : ''}`;
  const args = process.getuid?.() === 0 ? ['--net', '--', 'bash', '-c', inner] : ['--net', '--map-root-user', '--', 'bash', '-c', inner];
  const result = spawnSync('unshare', args, { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

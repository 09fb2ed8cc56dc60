// nettool.mjs — tiny probes for checking the NAT test bed (selfcheck.sh).
// No dependencies; run inside a bed namespace with `ip netns exec NS node ...`.
//
//   stun [--port P] [--rounds N] [--gap MS] HOST:PORT...
//       One UDP socket (local port P, 0 = any) sends a STUN Binding request
//       to every target, N rounds GAP ms apart, and prints one JSON line per
//       answer: {round, target, local, mapped}.  Using one socket is the
//       point: it shows how the NAT maps one local port toward several
//       destinations, and how a long-lived flow's mapping changes over time.
//   udp-listen --port P [--send HOST:PORT]... [--ms MS]
//       Binds P, sends "punch" to each --send target (opening the NAT toward
//       it), then prints {from, data} for each datagram received within MS.
//   udp-send --port P HOST:PORT [TEXT]
//       Sends TEXT three times from local port P.
//   tcp-connect HOST:PORT [--ms MS]
//       Prints "connected" (exit 0) or the error / "timeout" (exit 1).
import dgram from 'node:dgram';
import net from 'node:net';
import crypto from 'node:crypto';

const MAGIC = 0x2112a442;

function parse(argv) {
  const opts = { send: [] };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--send') opts.send.push(argv[++i]);
    else if (a.startsWith('--')) opts[a.slice(2)] = argv[++i];
    else rest.push(a);
  }
  return { opts, rest };
}

function hostPort(s) {
  const i = s.lastIndexOf(':');
  return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function bindUdp(port) {
  const sock = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, '0.0.0.0', () => resolve(sock));
  });
}

function bindingRequest() {
  const msg = Buffer.alloc(20);
  msg.writeUInt16BE(0x0001, 0); // Binding request
  msg.writeUInt16BE(0, 2); // no attributes
  msg.writeUInt32BE(MAGIC, 4);
  const txid = crypto.randomBytes(12);
  txid.copy(msg, 8);
  return { msg, txid };
}

// XOR-MAPPED-ADDRESS (0x0020), falling back to MAPPED-ADDRESS (0x0001).
function mappedAddress(buf) {
  if (buf.length < 20 || buf.readUInt16BE(0) !== 0x0101) return null;
  let plain = null;
  for (let off = 20; off + 4 <= buf.length;) {
    const type = buf.readUInt16BE(off);
    const len = buf.readUInt16BE(off + 2);
    const v = buf.subarray(off + 4, off + 4 + len);
    if ((type === 0x0020 || type === 0x0001) && v[1] === 0x01) {
      let port = v.readUInt16BE(2);
      let addr = v.readUInt32BE(4);
      if (type === 0x0020) {
        port ^= MAGIC >>> 16;
        addr = (addr ^ MAGIC) >>> 0;
      }
      const s = `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}:${port}`;
      if (type === 0x0020) return s;
      plain = s;
    }
    off += 4 + Math.ceil(len / 4) * 4;
  }
  return plain;
}

async function stun(opts, targets) {
  const sock = await bindUdp(Number(opts.port ?? 0));
  const local = sock.address().port;
  const pending = new Map();
  sock.on('message', (buf) => {
    const key = buf.subarray(8, 20).toString('hex');
    const done = pending.get(key);
    if (done) done(mappedAddress(buf));
  });
  const rounds = Number(opts.rounds ?? 1);
  for (let round = 0; round < rounds; round++) {
    if (round > 0) await sleep(Number(opts.gap ?? 500));
    for (const target of targets) {
      const { host, port } = hostPort(target);
      let mapped = null;
      for (let attempt = 0; attempt < 3 && !mapped; attempt++) {
        const { msg, txid } = bindingRequest();
        mapped = await new Promise((resolve) => {
          const t = setTimeout(() => resolve(null), 700);
          pending.set(txid.toString('hex'), (m) => { clearTimeout(t); resolve(m); });
          sock.send(msg, port, host);
        });
        pending.delete(txid.toString('hex'));
      }
      console.log(JSON.stringify({ round, target, local, mapped }));
    }
  }
  sock.close();
}

async function udpListen(opts) {
  const sock = await bindUdp(Number(opts.port));
  sock.on('message', (buf, rinfo) => {
    console.log(JSON.stringify({ from: `${rinfo.address}:${rinfo.port}`, data: buf.toString() }));
  });
  for (const t of opts.send) {
    const { host, port } = hostPort(t);
    sock.send('punch', port, host);
  }
  await sleep(Number(opts.ms ?? 2000));
  sock.close();
}

async function udpSend(opts, [target, text = 'hello']) {
  const sock = await bindUdp(Number(opts.port ?? 0));
  const { host, port } = hostPort(target);
  for (let i = 0; i < 3; i++) {
    sock.send(text, port, host);
    await sleep(100);
  }
  sock.close();
}

function tcpConnect(opts, [target]) {
  const { host, port } = hostPort(target);
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const t = setTimeout(() => { console.log('timeout'); s.destroy(); resolve(1); }, Number(opts.ms ?? 2000));
    s.on('connect', () => { clearTimeout(t); console.log('connected'); s.destroy(); resolve(0); });
    s.on('error', (e) => { clearTimeout(t); console.log(e.code); resolve(1); });
  });
}

const [cmd, ...args] = process.argv.slice(2);
const { opts, rest } = parse(args);
let rc = 0;
if (cmd === 'stun') await stun(opts, rest);
else if (cmd === 'udp-listen') await udpListen(opts);
else if (cmd === 'udp-send') await udpSend(opts, rest);
else if (cmd === 'tcp-connect') rc = await tcpConnect(opts, rest);
else { console.error('usage: nettool.mjs stun|udp-listen|udp-send|tcp-connect ...'); rc = 2; }
process.exit(rc);

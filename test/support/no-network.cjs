// Preloaded (NODE_OPTIONS=--require) into every Node.js process of a command under test: any
// attempt to open a network connection or resolve a name is written to $CLOUDMEND_NET_LOG and
// refused. Unix sockets and pipes (IPC between the CDK CLI and the app) are allowed.
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const log = process.env.CLOUDMEND_NET_LOG;
const record = (what) => {
  if (log) fs.appendFileSync(log, `${process.pid} ${process.argv.slice(1, 3).join(' ')}: ${what}\n`);
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // As net.connect reads its arguments: already normalized ([options, callback]), an options
  // object, a pipe path, or port then host.
  const [first, second] = Array.isArray(args[0]) ? args[0] : args;
  const options =
    typeof first === 'object' && first !== null && !Array.isArray(first)
      ? first
      : typeof first === 'string' && !/^\d+$/.test(first)
        ? { path: first }
        : { port: first, host: typeof second === 'string' ? second : undefined };
  if (options.path === undefined) {
    record(`connect ${options.host ?? 'localhost'}:${options.port}`);
    throw new Error('network access is not allowed here');
  }
  return connect.apply(this, args);
};
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) {
  const original = dns[name];
  dns[name] = function (host, ...rest) {
    record(`dns.${name} ${host}`);
    return original.call(this, 'localhost.invalid', ...rest);
  };
}

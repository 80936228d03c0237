// Fails fast, with the fix, when MariaDB/MySQL or Redis is not reachable (tests and the demo need both).
import { Socket } from 'node:net';

function reachable(url, fallbackPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.connect(Number(port || fallbackPort), hostname || '127.0.0.1');
  });
}

const mysqlUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/test';
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const problems = [];
if (!(await reachable(mysqlUrl, 3306))) problems.push(`MariaDB/MySQL is not reachable at ${new URL(mysqlUrl).host}: start it (start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd)`);
if (!(await reachable(redisUrl, 6379))) problems.push(`Redis is not reachable at ${new URL(redisUrl).host}: start it (redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no)`);
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}

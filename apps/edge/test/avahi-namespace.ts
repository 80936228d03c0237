import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { accessSync, constants, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTempDir, waitFor, type TempDir } from '@app/testing';

const run = promisify(execFile);

/** The commands the avahi test needs (scripts/ensure-mdns-tools.sh installs them). */
const TOOLS = ['/usr/sbin/avahi-daemon', '/usr/bin/avahi-browse', '/usr/bin/dbus-daemon', '/usr/bin/dbus-send'];

/** One `avahi-browse -p` resolved line (`=;iface;IPv4;name;type;domain;host;address;port;txt`). */
export interface AvahiService {
  interface: string;
  name: string;
  type: string;
  host: string;
  address: string;
  port: number;
  txt: Record<string, string>;
}

/**
 * Debian's avahi (avahi-daemon with avahi-browse over D-Bus), an mDNS implementation nobody on this
 * project wrote, in a network namespace of the test's own. avahi ignores loopback, so the namespace
 * is joined to the machine by a veth pair with a /30 of its own: the hub advertises on the host
 * end (`hostAddress`), avahi listens on the other, and the multicast never reaches a network card.
 * avahi-daemon runs on a private D-Bus (a dbus-daemon on a socket in a temp directory, so the
 * machine's bus, if any, is not touched) and with a private /run (its pid file). Needs root.
 */
export class AvahiNamespace {
  private readonly children: ChildProcess[] = [];
  private avahiLog = '';

  private constructor(
    readonly namespace: string,
    private readonly hostVeth: string,
    readonly hostAddress: string,
    private readonly tmp: TempDir,
  ) {}

  private get bus(): string {
    return `unix:path=${path.join(this.tmp.path, 'bus')}`;
  }

  static async start(): Promise<AvahiNamespace> {
    requireAvahi();
    const id = randomBytes(3).toString('hex');
    // A /30 in 10.250.0.0/16 picked at random, so parallel runs on one machine do not meet.
    const subnet = `10.250.${randomInt(0, 256)}.${randomInt(0, 64) * 4}`;
    const [a, b, c, d] = subnet.split('.').map(Number) as [number, number, number, number];
    const hostAddress = `${a}.${b}.${c}.${d + 1}`;
    const nsAddress = `${a}.${b}.${c}.${d + 2}`;
    const avahi = new AvahiNamespace(`pos-mdns-${id}`, `pmh${id}`, hostAddress, await createTempDir('avahi'));
    try {
      await avahi.createNetwork(`pmn${id}`, nsAddress);
      await avahi.startDaemons(`pmn${id}`);
    } catch (error) {
      await avahi.stop();
      throw error;
    }
    return avahi;
  }

  private async createNetwork(nsVeth: string, nsAddress: string): Promise<void> {
    const ip = (...args: string[]) => run('ip', args);
    await ip('netns', 'add', this.namespace);
    await ip('link', 'add', this.hostVeth, 'type', 'veth', 'peer', 'name', nsVeth);
    await ip('link', 'set', nsVeth, 'netns', this.namespace);
    await ip('addr', 'add', `${this.hostAddress}/30`, 'dev', this.hostVeth);
    await ip('link', 'set', this.hostVeth, 'up');
    await ip('-n', this.namespace, 'addr', 'add', `${nsAddress}/30`, 'dev', nsVeth);
    await ip('-n', this.namespace, 'link', 'set', nsVeth, 'up');
    await ip('-n', this.namespace, 'link', 'set', 'lo', 'up');
  }

  private async startDaemons(nsVeth: string): Promise<void> {
    const busConfig = path.join(this.tmp.path, 'bus.conf');
    writeFileSync(
      busConfig,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>${this.bus}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy>
</busconfig>
`,
    );
    const avahiConfig = path.join(this.tmp.path, 'avahi-daemon.conf');
    // Its own host name: the namespace shares the machine's, which the hub advertises.
    writeFileSync(
      avahiConfig,
      `[server]\nhost-name=${this.namespace}\nuse-ipv4=yes\nuse-ipv6=no\nallow-interfaces=${nsVeth}\nenable-dbus=yes\n[wide-area]\nenable-w` +
        `ide-area=no\n[publish]\npublish-hinfo=no\npublish-workstation=no\n`,
    );

    const dbus = spawn('dbus-daemon', [`--config-file=${busConfig}`, '--nofork', '--nopidfile'], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.children.push(dbus);
    await waitFor(
      () =>
        run('dbus-send', [`--bus=${this.bus}`, '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.ListNames']).then(
          () => true,
        ),
      { timeoutMs: 10_000, what: 'the private dbus-daemon' },
    );

    // `ip netns exec` runs its command in a mount namespace of its own: the tmpfs on /run is
    // avahi's alone (its pid file), and exec keeps the child's pid that of avahi-daemon.
    const daemon = spawn(
      'ip',
      ['netns', 'exec', this.namespace, 'sh', '-c', `mount -t tmpfs tmpfs /run && exec avahi-daemon --no-chroot --no-drop-root --no-rlimits -f ${avahiConfig}`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: this.bus },
      },
    );
    this.children.push(daemon);
    for (const stream of [daemon.stdout, daemon.stderr]) stream.on('data', (chunk: Buffer) => (this.avahiLog += chunk.toString()));
    await waitFor(
      () => {
        if (daemon.exitCode !== null) throw new Error(`avahi-daemon exited (${daemon.exitCode}): ${this.avahiLog.trim()}`);
        return this.avahiLog.includes('Server startup complete');
      },
      { timeoutMs: 15_000, what: 'avahi-daemon in the namespace' },
    );
  }

  /** What `avahi-browse -rpt` lists for a service type now, resolved (avahi's cache plus a query). */
  async browse(serviceType: string): Promise<AvahiService[]> {
    const { stdout } = await run(
      'ip',
      ['netns', 'exec', this.namespace, 'avahi-browse', '--resolve', '--parsable', '--terminate', '--no-db-lookup', serviceType],
      {
        env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: this.bus },
        timeout: 10_000,
      },
    );
    return stdout
      .split('\n')
      .filter((line) => line.startsWith('='))
      .map((line) => {
        const [, iface, , name, type, , host, address, port, txt] = line.split(';') as string[];
        return { interface: iface!, name: unescape(name!), type: type!, host: host!, address: address!, port: Number(port), txt: parseTxt(txt ?? '') };
      });
  }

  /** Stops avahi and D-Bus (the processes this started, by their pid), then removes the namespace and its veth pair. */
  async stop(): Promise<void> {
    for (const child of this.children.splice(0).reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    // Deleting the namespace deletes the veth end inside it, and so its peer on the host.
    await run('ip', ['netns', 'del', this.namespace]).catch(() => undefined);
    await run('ip', ['link', 'del', this.hostVeth]).catch(() => undefined);
    await this.tmp.remove();
  }
}

/** Fails with the fix when avahi or D-Bus is missing (scripts/test.sh installs them). */
export function requireAvahi(): void {
  for (const tool of TOOLS) {
    try {
      accessSync(tool, constants.X_OK);
    } catch {
      throw new Error(
        `${tool} is missing: run \`bash scripts/ensure-mdns-tools.sh\` (scripts/test.sh does) or \`apt-get install -y avahi-daemon avahi-utils dbus\``,
      );
    }
  }
}

/** avahi-browse -p escapes `;` and non-printables as `\NNN` (decimal). */
function unescape(value: string): string {
  return value.replace(/\\(\d{3})/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** TXT as avahi-browse -p prints it: `"key=value" "key=value"`. */
function parseTxt(value: string): Record<string, string> {
  const txt: Record<string, string> = {};
  for (const [, entry] of value.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    const text = entry!.replace(/\\(.)/g, '$1');
    const eq = text.indexOf('=');
    if (eq > 0) txt[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return txt;
}

import { promises as fs } from 'node:fs';

/** A process that has a serial port open or locked. */
export interface PortHolder {
  pid: number;
  /** Its command line, when the OS tells (Linux: /proc/PID/cmdline). */
  command?: string;
}

/**
 * Who holds `path`? On Linux the flock that serialport (and esptool, screen, minicom…) take shows
 * in /proc/locks with the inode, which names the locker exactly; without a lock we fall back to
 * every process with the device open in /proc/PID/fd. Other systems cannot tell: empty list.
 */
export async function findPortHolders(path: string, ownPid = process.pid): Promise<PortHolder[]> {
  if (process.platform !== 'linux') return [];
  let target: { dev: number; ino: number; real: string };
  try {
    const st = await fs.stat(path);
    target = { dev: st.dev, ino: st.ino, real: await fs.realpath(path) };
  } catch {
    return [];
  }
  const lockers = (await lockingPids(target.dev, target.ino)).filter((pid) => pid !== ownPid);
  const pids = lockers.length > 0 ? lockers : await pidsWithOpen(target.real, ownPid);
  const holders: PortHolder[] = [];
  for (const pid of pids) {
    const command = await commandLine(pid);
    holders.push(command === undefined ? { pid } : { pid, command });
  }
  return holders;
}

export function describeHolders(holders: readonly PortHolder[]): string {
  if (holders.length === 0) return 'another process (the OS does not say which)';
  return holders.map((h) => (h.command ? `pid ${h.pid} (${h.command})` : `pid ${h.pid}`)).join(', ');
}

/** Linux's encoding of st_dev: major and minor are split over several bit ranges. */
function majorMinor(dev: number): { major: number; minor: number } {
  return { major: ((dev >>> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff), minor: (dev & 0xff) | ((dev >>> 12) & 0xfff00) };
}

async function lockingPids(dev: number, ino: number): Promise<number[]> {
  let text: string;
  try {
    text = await fs.readFile('/proc/locks', 'utf8');
  } catch {
    return [];
  }
  const { major, minor } = majorMinor(dev);
  const pids: number[] = [];
  // "1: FLOCK  ADVISORY  WRITE 9552 00:1a:3 0 EOF": pid, then major:minor (hex) and inode (decimal).
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(?:->\s+)?\S+\s+\S+\s+\S+\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/i.exec(line);
    if (!m) continue;
    if (parseInt(m[2]!, 16) === major && parseInt(m[3]!, 16) === minor && Number(m[4]) === ino) {
      const pid = Number(m[1]);
      if (pid > 0 && !pids.includes(pid) && (await alive(pid))) pids.push(pid);
    }
  }
  return pids;
}

async function pidsWithOpen(real: string, ownPid: number): Promise<number[]> {
  let entries: string[];
  try {
    entries = await fs.readdir('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === ownPid) continue;
    let fds: string[];
    try {
      fds = await fs.readdir(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    for (const fd of fds) {
      const link = await fs.readlink(`/proc/${entry}/fd/${fd}`).catch(() => '');
      if (link === real) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}

async function alive(pid: number): Promise<boolean> {
  return fs.access(`/proc/${pid}`).then(
    () => true,
    () => false,
  );
}

async function commandLine(pid: number): Promise<string | undefined> {
  try {
    const raw = await fs.readFile(`/proc/${pid}/cmdline`);
    const text = raw.toString('utf8').split('\0').filter(Boolean).join(' ');
    return text.length > 0 ? text.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

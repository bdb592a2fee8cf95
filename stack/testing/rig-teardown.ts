import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RIG_CLAIM_METRIC, RIG_PREFIX, RIG_ROUTE_PROTO, run } from './rig-netns';

/**
 * Removes one rig, whatever state it is in: its processes (dockerd first, which stops its
 * containers; then anything left in its netns, cgroup or naming its temp dir), cgroups, netns,
 * veth, claim route, iptables rule and temp dir. Every step tolerates what is already gone.
 * Args: parent pid (0: now), id, netns, subnet, dir ('-' for unknown).
 * With a parent pid it waits first until that process is gone or it gets SIGUSR1: so a test
 * process killed outright (no afterAll, no exit hook) still leaves nothing behind.
 */
const SCRIPT = String.raw`
set -u -f
parent=$1 id=$2 ns=$3 subnet=$4 dir=$5
hostIf=${RIG_PREFIX}$id go=
trap 'go=1' USR1
trap '' HUP INT TERM
if [ "$parent" != 0 ]; then
  while [ -z "$go" ] && kill -0 "$parent" 2>/dev/null; do sleep 1 & wait $! 2>/dev/null; done
fi
pids() {
  [ "$ns" != - ] && ip netns pids "$ns" 2>/dev/null
  [ "$dir" != - ] && grep -la -- "$dir/[a-z]" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3
  for cg in $(find /sys/fs/cgroup -maxdepth 3 -type d -name "$hostIf" 2>/dev/null); do find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null; done
}
[ "$dir" != - ] && [ -f "$dir/docker.pid" ] && kill -TERM "$(cat "$dir/docker.pid")" 2>/dev/null
for _ in $(seq 40); do [ -z "$(pids)" ] && break; kill -TERM $(pids) 2>/dev/null; sleep 0.5; done
for _ in $(seq 20); do [ -z "$(pids)" ] && break; kill -KILL $(pids) 2>/dev/null; sleep 0.2; done
for cg in $(find /sys/fs/cgroup -maxdepth 3 -type d -name "$hostIf" 2>/dev/null); do find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null; done
[ "$ns" != - ] && ip netns del "$ns" 2>/dev/null
# The kernel frees a netns (and its veth) asynchronously.
for _ in $(seq 50); do ip link show "$hostIf" >/dev/null 2>&1 || break; ip link del "$hostIf" 2>/dev/null; sleep 0.2; done
[ "$subnet" != - ] && ip route del unreachable "$subnet" metric ${RIG_CLAIM_METRIC} proto ${RIG_ROUTE_PROTO} 2>/dev/null
for chain in INPUT FORWARD; do
  iptables -w -S "$chain" | grep -F -- "--comment $hostIf " | sed 's/^-A //' | while read -r rule; do iptables -w -D $rule; done
done
if [ "$dir" != - ]; then
  awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
  rm -rf "$dir"
fi
exit 0
`;

export interface RigTeardown {
  /** Runs the teardown now and resolves when it is done. */
  now(): Promise<void>;
}

/** Starts a rig's reaper: a detached shell that tears the rig down when this process dies, or when asked. */
export function startReaper(id: string, netns: string, subnet: string, dir: string): RigTeardown {
  const args = [id, netns, subnet, dir];
  const child = spawn('sh', ['-c', SCRIPT, 'rig-reaper', String(process.pid), ...args], { detached: true, stdio: 'ignore' });
  child.unref();
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  let done: Promise<void> | undefined;
  const teardown = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGUSR1');
    // A SIGUSR1 that came before the shell set its trap killed it: tear down here instead.
    if ((await exited) === 'SIGUSR1') await runScript(args);
  };
  return { now: () => (done ??= teardown()) };
}

function runScript(args: string[]): Promise<void> {
  const child: ChildProcess = spawn('sh', ['-c', SCRIPT, 'rig-reaper', '0', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => child.once('exit', () => resolve()).once('error', reject));
}

const ID = /^rx580rig-(?:[a-z0-9]+-)?([a-z0-9]{6})$/;

/** Ids of rigs whose reaper still waits on a live test process: another run's, not left over. */
async function livingRigIds(): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const args = cmdline.split('\0');
    const at = args.indexOf('rig-reaper');
    // rig-reaper <parent pid> <id> …: parent 0 is a teardown running now, which finishes the job itself.
    if (at >= 0 && args[at + 1] !== '0' && args[at + 2]) ids.add(args[at + 2]!);
  }
  return ids;
}

/**
 * Removes every rig an earlier run left (any `rx580rig-*` netns, veth, cgroup, iptables rule,
 * claim route, temp dir and their processes) whose test process is gone: a rig whose reaper
 * still waits on its live test process belongs to another run going on now and is kept.
 */
export async function removeLeftoverRigHosts(): Promise<void> {
  const rigs = new Map<string, { ns: string; dir: string }>();
  const rig = (id: string) => rigs.get(id) ?? rigs.set(id, { ns: '-', dir: '-' }).get(id)!;
  for (const ns of (await run('ip', ['netns', 'list'])).split('\n').map((l) => l.split(' ')[0] ?? '')) {
    const id = ID.exec(ns)?.[1];
    if (id) rig(id).ns = ns;
  }
  for (const name of await readdir(tmpdir())) {
    const id = ID.exec(name)?.[1];
    if (id) rig(id).dir = join(tmpdir(), name);
  }
  const links = await run('ip', ['-o', 'link', 'show']);
  const rules = await run('iptables', ['-w', '-S', 'INPUT']);
  const cgroups = await run('find', ['/sys/fs/cgroup', '-maxdepth', '3', '-type', 'd', '-name', `${RIG_PREFIX}*`]);
  for (const m of `${links}\n${rules}\n${cgroups}`.matchAll(/rx580rig-([a-z0-9]{6})\b/g)) rig(m[1]!);
  const living = await livingRigIds();
  for (const [id, { ns, dir }] of rigs) if (!living.has(id)) await runScript([id, ns, '-', dir]);
  // A living rig's claim route stays: its /30 is the one on its host interface.
  const livingNets = new Set<string>();
  for (const id of living) {
    const inet = /inet (\d+\.\d+\.\d+)\.(\d+)\/30/.exec(await run('ip', ['-o', '-4', 'addr', 'show', 'dev', `${RIG_PREFIX}${id}`]).catch(() => ''));
    if (inet) livingNets.add(`${inet[1]}.${Number(inet[2]) & ~3}/30`);
  }
  for (const line of (await run('ip', ['-4', 'route', 'show', 'proto', RIG_ROUTE_PROTO])).split('\n').filter(Boolean)) {
    if (livingNets.has(line.trim().split(/\s+/)[1] ?? '')) continue;
    await run('ip', ['route', 'del', ...line.trim().split(/\s+/)]);
  }
}

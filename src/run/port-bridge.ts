/**
 * Ports a lesson publishes on a daemon that is not this machine, reachable at the same port on
 * this machine's 127.0.0.1, the way Docker Desktop and testcontainers bridge them: each local
 * connection becomes `nc <host ip> <port>` in the daemon helper, streamed over the Engine API. So
 * `-p 127.0.0.1:3306:3306`, a `port` check and `mysql -h 127.0.0.1` behave as on a local daemon.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Engine } from '../docker/client.js';
import type { DaemonHelper } from '../docker/helper.js';

export interface PublishedPort {
  /** The address on the daemon's host the port is bound to (0.0.0.0 reads as 127.0.0.1). */
  hostIp: string;
  port: number;
}

/** The TCP ports a container publishes on its host, from `docker inspect`'s bindings. */
export function publishedPorts(
  bindings: Record<string, { HostIp?: string; HostPort?: string }[] | null> | undefined,
): PublishedPort[] {
  const ports: PublishedPort[] = [];
  for (const [spec, list] of Object.entries(bindings ?? {})) {
    if (!spec.endsWith('/tcp')) continue;
    for (const binding of list ?? []) {
      const port = Number(binding.HostPort);
      if (!Number.isInteger(port) || port <= 0) continue;
      const ip = binding.HostIp ?? '';
      // IPv6 bindings repeat the IPv4 one on dual-stack daemons: one forwarder per port.
      if (ip.includes(':') && ip !== '::1') continue;
      const hostIp = ip === '' || ip === '0.0.0.0' || ip === '::1' ? '127.0.0.1' : ip;
      if (!ports.some((p) => p.port === port)) ports.push({ hostIp, port });
    }
  }
  return ports;
}

export class PortBridge {
  private readonly servers = new Map<number, Server>();
  private readonly sockets = new Set<Socket>();
  /** Ports that could not be bridged, with why: said once in the step's report. */
  readonly problems = new Map<number, string>();

  constructor(
    private readonly engine: Engine,
    private readonly helper: DaemonHelper,
    /**
     * This machine's loopback address the ports are bound to: 127.0.0.1, or another address of
     * 127.0.0.0/8 when several sandboxes run side by side and each lesson publishes 8080.
     */
    readonly address = '127.0.0.1',
  ) {}

  /** Forwards every TCP port the containers publish that is not forwarded yet. */
  async refresh(containerIds: string[]): Promise<void> {
    for (const id of containerIds) {
      const info = await this.engine
        .call((abortSignal) => this.engine.docker.getContainer(id).inspect({ abortSignal }))
        .catch(() => undefined);
      if (!info?.State?.Running) continue;
      for (const published of publishedPorts(info.NetworkSettings?.Ports)) {
        if (this.servers.has(published.port) || this.problems.has(published.port)) continue;
        await this.listen(published);
      }
    }
  }

  private listen({ hostIp, port }: PublishedPort): Promise<void> {
    const server = createServer((socket) => this.connect(socket, hostIp, port));
    return new Promise((resolve) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        this.problems.set(
          port,
          error.code === 'EADDRINUSE'
            ? `port ${port} is published on the daemon's host, but on this machine ${this.address}:${port} is taken by another program, so the lesson cannot reach it here: stop that program and run the step again`
            : `port ${port} of the daemon's host could not be brought to ${this.address}:${port} here (${error.code ?? error.message})`,
        );
        resolve();
      });
      server.listen(port, this.address, () => {
        this.servers.set(port, server);
        resolve();
      });
    });
  }

  private connect(socket: Socket, hostIp: string, port: number): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.pause();
    this.helper.stream(['nc', hostIp, String(port)]).then(
      ({ input, output }) => {
        output.pipe(socket);
        socket.pipe(input);
        socket.resume();
        socket.once('error', () => input.destroy());
        input.once('error', () => socket.destroy());
        output.once('end', () => socket.end());
        socket.once('close', () => input.destroy());
      },
      () => socket.destroy(),
    );
  }

  /** Ports forwarded now. */
  ports(): number[] {
    return [...this.servers.keys()].sort((a, b) => a - b);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(
      [...this.servers.values()].map((server) => new Promise((resolve) => server.close(resolve))),
    );
    this.servers.clear();
  }
}

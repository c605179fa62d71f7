import { connect as netConnect, type Socket } from 'node:net';
import { K6_ERROR, RequestFailure } from './error-codes.js';

/** What an H1Client's socket reports to it (plain functions, one set for every socket, forward the events). */
export interface SocketOwner {
  /** 'drain' after a request too big to go out at once */
  drained(socket: ClientSocket): void;
  /** 'lookup' */
  looked(): void;
  /** 'connect' */
  connected(socket: ClientSocket): void;
  /** bytes read (`buf[0, n)`, the thread's shared read buffer) */
  read(socket: ClientSocket, buf: Buffer, n: number): void;
  /** 'error' */
  socketError(err: Error): void;
  /** 'end': the server sent FIN */
  peerEnded(socket: ClientSocket): void;
  /** 'close' */
  socketClosed(socket: ClientSocket): void;
}

const kOwner = Symbol('loadts.h1client');
/** A socket of an H1Client; its owner is forgotten when the client lets go of it. */
export type ClientSocket = Socket & { [kOwner]?: SocketOwner };

/**
 * One read buffer for every connection of a thread. A thread handles one read at a time and the
 * parser consumes it synchronously (what it keeps, it copies), so connections need no read buffer
 * of their own and a read allocates nothing.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const ON_READ = { buffer: READ_BUFFER, callback: onRead };

/** Starts connecting a socket whose events go to `owner` (reads into the shared buffer, no Nagle). */
export function openSocket(owner: SocketOwner, host: string, port: number): ClientSocket {
  const socket: ClientSocket = netConnect({ host, port, onread: ON_READ });
  socket[kOwner] = owner;
  socket.setNoDelay(true);
  socket.once('lookup', onLookup);
  socket.once('connect', onConnect);
  socket.on('error', onError);
  socket.on('end', onEnd);
  socket.on('close', onClose);
  return socket;
}

/** Destroys the socket with k6's dial timeout error after `ms` (unless the timer is cleared). */
export function dialTimer(socket: ClientSocket, ms: number): NodeJS.Timeout {
  return setTimeout(onDialTimeout, ms, socket);
}

/** Its owner hears of its 'drain' once. */
export function awaitDrain(socket: ClientSocket): void {
  socket.once('drain', onDrain);
}

/** Its owner lets go of it: no more events reach the owner, and it is destroyed. */
export function dropSocket(socket: ClientSocket): void {
  socket[kOwner] = undefined;
  socket.destroy();
}

function onDrain(this: ClientSocket): void {
  this[kOwner]?.drained(this);
}

function onLookup(this: ClientSocket): void {
  this[kOwner]?.looked();
}

function onConnect(this: ClientSocket): void {
  this[kOwner]?.connected(this);
}

function onDialTimeout(socket: ClientSocket): void {
  socket.destroy(new RequestFailure('dial: i/o timeout', K6_ERROR.dialTimeout));
}

function onRead(this: ClientSocket, n: number): boolean {
  const owner = this[kOwner];
  if (owner === undefined) this.destroy();
  else owner.read(this, READ_BUFFER, n);
  return true;
}

function onError(this: ClientSocket, err: Error): void {
  this[kOwner]?.socketError(err);
}

function onEnd(this: ClientSocket): void {
  this[kOwner]?.peerEnded(this);
}

function onClose(this: ClientSocket): void {
  this[kOwner]?.socketClosed(this);
}

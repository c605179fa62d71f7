// Types for the part of pidusage (no types of its own) that loadts uses.
declare module 'pidusage' {
  interface Stat {
    /** CPU %, from 0 to 100 × cores, since the previous call for this pid. */
    cpu: number;
    /** RSS, bytes. */
    memory: number;
    ppid: number;
    pid: number;
    ctime: number;
    elapsed: number;
    timestamp: number;
  }
  function pidusage(pids: number[]): Promise<Record<string, Stat>>;
  namespace pidusage {
    function clear(): void;
  }
  export default pidusage;
}

// Types for the part of js-md4 (no types of its own) that loadts uses.
declare module 'js-md4' {
  interface Md4 {
    update(message: string | ArrayBuffer | Uint8Array | number[]): Md4;
    arrayBuffer(): ArrayBuffer;
  }
  interface Md4Module {
    create(): Md4;
  }
  const md4: Md4Module;
  export default md4;
}

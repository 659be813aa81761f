// connect-host.js and jQuery ship without types; the emulator only touches them through connect-host-types.ts.
declare module 'atlassian-connect-js/dist/connect-host.js';
declare module 'atlassian-connect-js/dist/connect-host.css';
declare module 'atlassian-connect-js/dist/themes/*.css';
declare module 'jquery' {
  const jQuery: (...args: unknown[]) => any;
  export default jQuery;
}

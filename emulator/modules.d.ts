// connect-host.js and jQuery ship without types; the emulator only touches them through connect-host-types.ts.
declare module 'atlassian-connect-js/dist/connect-host.js';
declare module 'atlassian-connect-js/dist/connect-host.css';
declare module 'atlassian-connect-js/dist/themes/*.css';
declare module 'jquery' {
  /** The few calls the emulator makes: emptying a slot and appending connect-host's iframe container. */
  interface JQueryCollection {
    empty(): JQueryCollection;
    append(content: unknown): JQueryCollection;
  }
  const jQuery: (selectorOrElement: unknown) => JQueryCollection;
  export default jQuery;
}

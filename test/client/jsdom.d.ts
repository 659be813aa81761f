// jsdom ships no types and @types/jsdom is not a dependency; the tests use a handful of its members.
declare module 'jsdom';

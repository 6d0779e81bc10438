// Runs once in each sandbox: see SETUP in js.rs.
(() => {
  const logs = [];
  const text = (a) => {
    if (typeof a === 'string') return a;
    try { const s = JSON.stringify(a); return s === undefined ? String(a) : s; } catch (e) { return String(a); }
  };
  const to = (level) => (...args) => { logs.push([level, args.map(text).join(' ')]); };
  const console = { log: to('info'), info: to('info'), debug: to('debug'), warn: to('warn'), error: to('error') };
  const takeLogs = () => { const l = JSON.stringify(logs); logs.length = 0; return l; };
  // Iterative, and a frozen object is taken as done: walking every intrinsic
  // is the sandbox's start-up cost, so it is kept lean.
  const isFrozen = Object.isFrozen, freezeOne = Object.freeze, protoOf = Object.getPrototypeOf;
  const descriptors = Object.getOwnPropertyDescriptors, keysOf = Reflect.ownKeys, hasOwn = Object.hasOwn;
  const freeze = (root) => {
    const todo = [root];
    while (todo.length > 0) {
      const o = todo.pop();
      if (o === null || (typeof o !== 'object' && typeof o !== 'function') || isFrozen(o)) continue;
      freezeOne(o);
      // A built-in method holds only its name and length: frozen, it needs no walk.
      if (typeof o === 'function' && !hasOwn(o, 'prototype')) { todo.push(protoOf(o)); continue; }
      const ds = descriptors(o);
      for (const k of keysOf(ds)) {
        const d = ds[k];
        if ('value' in d) todo.push(d.value); else todo.push(d.get, d.set);
      }
      todo.push(protoOf(o));
    }
  };
  const seal = (f) => { freeze(f); return f; };
  Object.defineProperty(globalThis, '__console', { value: console });
  Object.defineProperty(globalThis, '__takeLogs', { value: takeLogs });
  Object.defineProperty(globalThis, '__seal', { value: seal });
  const hidden = [
    [][Symbol.iterator](), new Map()[Symbol.iterator](), new Set()[Symbol.iterator](),
    ''[Symbol.iterator](), /a/[Symbol.matchAll]('a'),
    function* () {}, async function () {}, async function* () {}, (function* () {})(),
  ];
  hidden.forEach(freeze);
  freeze(globalThis);
})();

"use strict";
// %IteratorPrototype%: the prototype of every iterator of the collections, which gives them
// `[Symbol.iterator]` and, where the engine has them, the iterator helpers (`map`, `filter`,
// `take`, `toArray`, …), as a Map's or a Set's iterators have.

const ITERATOR_PROTOTYPE = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

module.exports = { ITERATOR_PROTOTYPE };

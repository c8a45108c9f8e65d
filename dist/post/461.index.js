export const id = 461;
export const ids = [461];
export const modules = {

/***/ 8461:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TsigsApi: () => (/* binding */ TsigsApi),
/* harmony export */   sameKeyName: () => (/* binding */ sameKeyName),
/* harmony export */   tsigSchema: () => (/* binding */ tsigSchema)
/* harmony export */ });
/* harmony import */ var zod__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9691);
/* harmony import */ var _collection_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4121);
// Cloudflare's Secondary DNS TSIG endpoints, typed and validated (the requests themselves: collection.ts).
// Get and List answer with every key's secret in plain text, so each answer's secrets are handed to
// `reveal` (the runner's mask) before anything else can happen with them.


const tsigSchema = zod__WEBPACK_IMPORTED_MODULE_1__/* .looseObject */ ._H3({
    id: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP().min(1),
    name: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP(),
    algo: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP(),
    secret: zod__WEBPACK_IMPORTED_MODULE_1__/* .string */ .YjP(),
});
/**
 * A key name is a DNS name, and DNS names compare without regard to ASCII case (RFC 4343), with the
 * trailing dot of the absolute form optional: `a.example.` and `A.Example` are one key name.
 */
function sameKeyName(a, b) {
    const canonical = (name) => name.toLowerCase().replace(/\.$/, '');
    return canonical(a) === canonical(b);
}
class TsigsApi extends _collection_js__WEBPACK_IMPORTED_MODULE_0__/* .Collection */ .p {
    constructor(connection, reveal) {
        super(connection, {
            path: 'tsigs',
            schema: tsigSchema,
            create: 'Create TSIG',
            noun: 'TSIG key',
            nouns: 'TSIG keys',
            sameName: sameKeyName,
            severalHint: 'Keep one, delete the others, and run again.',
            received: (key) => {
                if (key.secret)
                    reveal(key.secret);
            },
        });
    }
}


/***/ })

};

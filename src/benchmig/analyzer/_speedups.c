/*
 * Optional C versions of three hot pure-Python passes of the analyzer:
 *
 * - strip(): comments removed and string literals replaced, for the duplicate-cluster
 *   fingerprint (benchmig.analyzer._clusters._strip_python);
 * - sketch(): the MinHash sketch of the stripped text's 4-word shingles
 *   (_clusters._sketch_words_python);
 * - expression_nodes(): the expression walk's traversal, returning the (handler, node) pairs
 *   the Python loop would visit, in the same order (_exprs.ExpressionWalker._traverse).
 *
 * Each returns exactly what the Python version gives for every input
 * (tests/analyzer/test_speedups.py compares them on generated and real sources); the Python
 * versions are used wherever this module was not built (benchmig.analyzer._compiled). None of
 * them reads anything but its arguments, and none runs the analysed code.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* ---- strip ------------------------------------------------------------------------------ */

/* End (exclusive) of a triple-quoted literal whose opening quotes start at `start`, or -1.
 * Mirrors '"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*(?:"""|$)' under re.S: the body stops only at
 * the closing quotes or the end of the text; a backslash as the text's last byte fails it. */
static Py_ssize_t
triple_end(const unsigned char *text, Py_ssize_t size, Py_ssize_t start, unsigned char quote)
{
    Py_ssize_t i = start + 3;
    while (i < size) {
        unsigned char c = text[i];
        if (c == '\\') {
            if (i + 1 >= size) {
                return -1;
            }
            i += 2;
        }
        else if (c == quote && i + 2 < size && text[i + 1] == quote && text[i + 2] == quote) {
            return i + 3;
        }
        else {
            i += 1;
        }
    }
    return size;
}

/* End (exclusive) of a one-line literal opened at `start`, or -1.
 * Mirrors '"[^"\\\n]*(?:\\.[^"\\\n]*)*"' under re.S (a backslash escapes a newline too). */
static Py_ssize_t
single_end(const unsigned char *text, Py_ssize_t size, Py_ssize_t start, unsigned char quote)
{
    Py_ssize_t i = start + 1;
    while (i < size) {
        unsigned char c = text[i];
        if (c == quote) {
            return i + 1;
        }
        if (c == '\n') {
            return -1;
        }
        if (c == '\\') {
            if (i + 1 >= size) {
                return -1;
            }
            i += 2;
        }
        else {
            i += 1;
        }
    }
    return -1;
}

static PyObject *
speedups_strip(PyObject *module, PyObject *arg)
{
    (void)module;
    if (!PyBytes_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "strip() needs bytes");
        return NULL;
    }
    const unsigned char *text = (const unsigned char *)PyBytes_AS_STRING(arg);
    Py_ssize_t size = PyBytes_GET_SIZE(arg);
    /* A literal becomes "S" and its newlines (never longer than itself), a comment nothing. */
    PyObject *result = PyBytes_FromStringAndSize(NULL, size);
    if (result == NULL) {
        return NULL;
    }
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(result);
    Py_ssize_t written = 0, copied = 0, i = 0;
    while (i < size) {
        unsigned char c = text[i];
        Py_ssize_t end = -1;
        int comment = 0;
        if (c == '"' || c == '\'') {
            if (i + 2 < size && text[i + 1] == c && text[i + 2] == c) {
                end = triple_end(text, size, i, c);
            }
            if (end < 0) {
                end = single_end(text, size, i, c);
            }
        }
        else if (c == '#') {
            const unsigned char *newline = memchr(text + i, '\n', (size_t)(size - i));
            end = newline != NULL ? (Py_ssize_t)(newline - text) : size;
            comment = 1;
        }
        if (end < 0) {
            i += 1;
            continue;
        }
        memcpy(out + written, text + copied, (size_t)(i - copied));
        written += i - copied;
        if (!comment) {
            out[written++] = 'S';
            for (Py_ssize_t k = i; k < end; k++) {
                if (text[k] == '\n') {
                    out[written++] = '\n';
                }
            }
        }
        i = copied = end;
    }
    memcpy(out + written, text + copied, (size_t)(size - copied));
    written += size - copied;
    if (_PyBytes_Resize(&result, written) < 0) {
        return NULL;
    }
    return result;
}

/* ---- sketch ----------------------------------------------------------------------------- */

#define BINS 128
#define BIN_BITS 7
#define EMPTY UINT64_MAX
#define GOLDEN 0x9E3779B97F4A7C15ULL
#define PRIME 1000003ULL

static uint32_t crc_table[256];
static unsigned char word_byte[256];

static void
init_tables(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
        }
        crc_table[n] = c;
        /* What _NON_WORD keeps: ASCII letters and digits, "_", and every byte >= 128. */
        word_byte[n] = (unsigned char)(n >= 128 || n == '_' || (n >= '0' && n <= '9') ||
                                       (n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z'));
    }
}

/* zlib.crc32 of text[start:end]. */
static uint64_t
crc32_of(const unsigned char *text, Py_ssize_t start, Py_ssize_t end)
{
    uint32_t c = 0xFFFFFFFFU;
    for (Py_ssize_t i = start; i < end; i++) {
        c = crc_table[(c ^ text[i]) & 0xFF] ^ (c >> 8);
    }
    return (uint64_t)(c ^ 0xFFFFFFFFU);
}

/* splitmix64's finaliser, as _clusters._mix. */
static uint64_t
mix(uint64_t value)
{
    value *= GOLDEN;
    value ^= value >> 30;
    value *= 0xBF58476D1CE4E5B9ULL;
    value ^= value >> 27;
    value *= 0x94D049BB133111EBULL;
    value ^= value >> 31;
    return value;
}

/* Fill empty bins from the next filled one (circularly), offset by the distance. */
static void
densify(uint64_t *sketch)
{
    int filled = 0;
    for (int b = 0; b < BINS; b++) {
        filled += sketch[b] != EMPTY;
    }
    if (filled == 0 || filled == BINS) {
        return;
    }
    uint64_t original[BINS];
    memcpy(original, sketch, sizeof(original));
    for (int b = 0; b < BINS; b++) {
        if (original[b] != EMPTY) {
            continue;
        }
        int distance = 1;
        while (original[(b + distance) % BINS] == EMPTY) {
            distance++;
        }
        sketch[b] = original[(b + distance) % BINS] + (uint64_t)distance * GOLDEN;
    }
}

static PyObject *
speedups_sketch(PyObject *module, PyObject *arg)
{
    (void)module;
    if (!PyBytes_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "sketch() needs bytes");
        return NULL;
    }
    const unsigned char *text = (const unsigned char *)PyBytes_AS_STRING(arg);
    Py_ssize_t size = PyBytes_GET_SIZE(arg);
    static const unsigned char number[] = "N";
    const uint64_t number_id = crc32_of(number, 0, 1);
    uint64_t sketch[BINS];
    for (int b = 0; b < BINS; b++) {
        sketch[b] = EMPTY;
    }
    uint64_t window[3] = {0, 0, 0}; /* the three words before the current one */
    Py_ssize_t words = 0, i = 0;
    const uint64_t low_mask = (1ULL << (64 - BIN_BITS)) - 1;
    while (i < size) {
        if (!word_byte[text[i]]) {
            i++;
            continue;
        }
        Py_ssize_t start = i;
        while (i < size && word_byte[text[i]]) {
            i++;
        }
        uint64_t id = (text[start] >= '0' && text[start] <= '9') ? number_id
                                                                  : crc32_of(text, start, i);
        if (words >= 3) {
            uint64_t shingle = mix(((window[0] * PRIME + window[1]) * PRIME + window[2]) * PRIME +
                                   id);
            int bin = (int)(shingle >> (64 - BIN_BITS));
            uint64_t value = shingle & low_mask;
            if (value < sketch[bin]) {
                sketch[bin] = value;
            }
        }
        window[0] = window[1];
        window[1] = window[2];
        window[2] = id;
        words++;
    }
    if (words >= 4) {
        densify(sketch);
    }
    unsigned char packed[BINS * 8];
    for (int b = 0; b < BINS; b++) { /* little-endian, as numpy's tobytes() on x86 and ARM */
        for (int k = 0; k < 8; k++) {
            packed[b * 8 + k] = (unsigned char)(sketch[b] >> (8 * k));
        }
    }
    return Py_BuildValue("(y#n)", (const char *)packed, (Py_ssize_t)sizeof(packed), words);
}

/* ---- expression traversal ---------------------------------------------------------------- */

/* Whether `type` is one of the leaf types (never stacked: they carry nothing to visit). */
static int
is_leaf(PyObject *leaves, PyTypeObject *type)
{
    Py_ssize_t count = PyTuple_GET_SIZE(leaves);
    for (Py_ssize_t k = 0; k < count; k++) {
        if ((PyObject *)type == PyTuple_GET_ITEM(leaves, k)) {
            return 1;
        }
    }
    return 0;
}

typedef struct {
    PyObject **items; /* strong references */
    Py_ssize_t size, capacity;
} Stack;

static int
stack_push(Stack *stack, PyObject *item)
{
    if (stack->size == stack->capacity) {
        Py_ssize_t capacity = stack->capacity * 2;
        PyObject **items = PyMem_Realloc(stack->items, (size_t)capacity * sizeof(PyObject *));
        if (items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        stack->items = items;
        stack->capacity = capacity;
    }
    Py_INCREF(item);
    stack->items[stack->size++] = item;
    return 0;
}

static int
append_pair(PyObject *result, PyObject *handler, PyObject *node)
{
    PyObject *pair = PyTuple_Pack(2, handler, node);
    if (pair == NULL) {
        return -1;
    }
    int failed = PyList_Append(result, pair);
    Py_DECREF(pair);
    return failed;
}

/* Push the non-leaf values of `node`'s fields named in `names` (lists: each item). */
static int
push_fields(Stack *stack, PyObject *node, PyObject *names, int lists, PyObject *leaves)
{
    Py_ssize_t count = PyTuple_GET_SIZE(names);
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *value = PyObject_GetAttr(node, PyTuple_GET_ITEM(names, k));
        if (value == NULL) {
            return -1;
        }
        int failed = 0;
        if (lists) {
            PyObject *items = PySequence_Fast(value, "a list field is not a sequence");
            Py_ssize_t length = items != NULL ? PySequence_Fast_GET_SIZE(items) : 0;
            failed = items == NULL;
            for (Py_ssize_t j = 0; j < length && !failed; j++) {
                PyObject *item = PySequence_Fast_GET_ITEM(items, j);
                if (!is_leaf(leaves, Py_TYPE(item))) {
                    failed = stack_push(stack, item);
                }
            }
            Py_XDECREF(items);
        }
        else if (!is_leaf(leaves, Py_TYPE(value))) {
            failed = stack_push(stack, value);
        }
        Py_DECREF(value);
        if (failed) {
            return -1;
        }
    }
    return 0;
}

/* Follow an attribute chain `a.b.c` down to what it starts from (a new reference), noting
 * the links whose name is in `chain_names`. */
static PyObject *
follow_chain(PyObject *node, PyObject *result, PyObject *attribute, PyObject *chain_names,
             PyObject *chain_handler)
{
    static PyObject *attr_name = NULL, *value_name = NULL;
    if (attr_name == NULL && (attr_name = PyUnicode_InternFromString("attr")) == NULL) {
        return NULL;
    }
    if (value_name == NULL && (value_name = PyUnicode_InternFromString("value")) == NULL) {
        return NULL;
    }
    Py_INCREF(node);
    while (1) {
        PyObject *attr = PyObject_GetAttr(node, attr_name);
        if (attr == NULL) {
            Py_DECREF(node);
            return NULL;
        }
        int noted = PySet_Contains(chain_names, attr);
        Py_DECREF(attr);
        if (noted < 0 || (noted && append_pair(result, chain_handler, node) < 0)) {
            Py_DECREF(node);
            return NULL;
        }
        PyObject *value = PyObject_GetAttr(node, value_name);
        Py_DECREF(node);
        if (value == NULL || (PyObject *)Py_TYPE(value) != attribute) {
            return value;
        }
        node = value;
    }
}

static PyObject *
speedups_expression_nodes(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "expression_nodes() takes 7 arguments");
        return NULL;
    }
    PyObject *root = args[0], *table = args[1], *learn = args[2], *leaves = args[3];
    PyObject *attribute = args[4], *chain_names = args[5], *chain_handler = args[6];
    if (!PyDict_Check(table) || !PyTuple_Check(leaves) || !PyAnySet_Check(chain_names)) {
        PyErr_SetString(PyExc_TypeError, "expression_nodes(): dict, tuple and set expected");
        return NULL;
    }
    PyObject *result = PyList_New(0);
    if (result == NULL) {
        return NULL;
    }
    Stack stack = {PyMem_Malloc(64 * sizeof(PyObject *)), 0, 64};
    if (stack.items == NULL) {
        Py_DECREF(result);
        return PyErr_NoMemory();
    }
    int failed = is_leaf(leaves, Py_TYPE(root)) ? 0 : stack_push(&stack, root);
    while (!failed && stack.size > 0) {
        PyObject *node = stack.items[--stack.size]; /* owned */
        if ((PyObject *)Py_TYPE(node) == attribute) {
            PyObject *start = follow_chain(node, result, attribute, chain_names, chain_handler);
            Py_DECREF(node);
            if (start == NULL) {
                failed = 1;
                break;
            }
            node = start;
            if (is_leaf(leaves, Py_TYPE(node))) {
                Py_DECREF(node);
                continue;
            }
        }
        PyObject *entry = PyDict_GetItemWithError(table, (PyObject *)Py_TYPE(node));
        if (entry != NULL) {
            Py_INCREF(entry); /* held while in use, whatever the table does meanwhile */
        }
        else if (!PyErr_Occurred()) { /* a class not seen yet: learn() adds it to the table */
            entry = PyObject_CallOneArg(learn, node);
        }
        if (entry == NULL || !PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 3 ||
            !PyTuple_Check(PyTuple_GET_ITEM(entry, 1)) ||
            !PyTuple_Check(PyTuple_GET_ITEM(entry, 2))) {
            if (entry != NULL) {
                PyErr_SetString(PyExc_TypeError, "a table entry is (handler, singles, lists)");
            }
            Py_XDECREF(entry);
            Py_DECREF(node);
            failed = 1;
            break;
        }
        PyObject *handler = PyTuple_GET_ITEM(entry, 0);
        failed = (handler != Py_None && append_pair(result, handler, node) < 0) ||
                 push_fields(&stack, node, PyTuple_GET_ITEM(entry, 1), 0, leaves) < 0 ||
                 push_fields(&stack, node, PyTuple_GET_ITEM(entry, 2), 1, leaves) < 0;
        Py_DECREF(entry);
        Py_DECREF(node);
    }
    while (stack.size > 0) {
        Py_DECREF(stack.items[--stack.size]);
    }
    PyMem_Free(stack.items);
    if (failed) {
        Py_DECREF(result);
        return NULL;
    }
    return result;
}

static PyMethodDef speedups_methods[] = {
    {"strip", speedups_strip, METH_O,
     "strip(text: bytes) -> bytes: comments removed, each string literal replaced by 'S' and "
     "its newlines."},
    {"sketch", speedups_sketch, METH_O,
     "sketch(normalised: bytes) -> (bytes, int): the MinHash sketch of the text's 4-word "
     "shingles (128 little-endian uint64 values) and its word count."},
    {"expression_nodes", (PyCFunction)(void (*)(void))speedups_expression_nodes, METH_FASTCALL,
     "expression_nodes(root, table, learn, leaves, attribute, chain_names, chain_handler) -> "
     "list of (handler, node): the expression walk's visits, in order (see _exprs.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "benchmig.analyzer._speedups",
    .m_doc = "C versions of the analyzer's hottest pure-Python passes (see _compiled.py).",
    .m_size = -1,
    .m_methods = speedups_methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    init_tables();
    return PyModule_Create(&speedups_module);
}

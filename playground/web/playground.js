// The playground: GraphiQL, from psmgraph's own files, with its editors kept
// in the URL, so that a link shares an operation with its variables.

// GraphiQL's menus add a style element, which the page's content policy
// allows by this response's nonce; the bundle reads it from this global.
globalThis.__webpack_nonce__ = document.querySelector('meta[name="psmgraph-style-nonce"]').content;

const endpoint = new URL(document.querySelector('meta[name="psmgraph-api"]').content, location.href).href;

const parameters = Object.fromEntries(new URLSearchParams(location.search));

// keep returns a handler that writes an editor's value into the URL.
function keep(name) {
  return (value) => {
    parameters[name] = value;
    const search = new URLSearchParams();
    for (const [key, v] of Object.entries(parameters)) if (v) search.set(key, v);
    history.replaceState(null, '', `?${search}`);
  };
}

ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher: GraphiQL.createFetcher({ url: endpoint }),
    query: parameters.query,
    variables: parameters.variables,
    headers: parameters.headers,
    operationName: parameters.operationName,
    onEditQuery: keep('query'),
    onEditVariables: keep('variables'),
    onEditHeaders: keep('headers'),
    onEditOperationName: keep('operationName'),
    isHeadersEditorEnabled: true,
    plugins: [GraphiQLPluginExplorer.explorerPlugin()],
    inputValueDeprecation: true,
  }),
);

// GraphiQL against this API, over HTTP and (for subscriptions) graphql-transport-ws.
// Served by the API itself with everything it loads, so it works on a closed network.
(function () {
  const url = window.location.href.split(/[?#]/)[0];
  const socket = new URL(url);
  socket.protocol = socket.protocol === "https:" ? "wss:" : "ws:";

  const fetcher = GraphiQL.createFetcher({ url: url, subscriptionUrl: socket.toString() });
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      inputValueDeprecation: true,
    }),
  );
})();

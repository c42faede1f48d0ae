// The API client: urql over HTTP, graphql-ws for subscriptions, the bearer token, persisted
// documents sent by id, and signing out when the API answers 401.
import {
  Client,
  fetchExchange,
  subscriptionExchange,
  type AnyVariables,
  type CombinedError,
  type TypedDocumentNode,
} from "@urql/core";
import { createClient as createSocket, type Client as Socket } from "graphql-ws";
import manifest from "./gql/persisted-documents.json";

export const API_URL = (import.meta.env.VITE_API_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
const TOKEN_KEY = "satupintu.token";
const SESSION_ENDED = new Set([4401, 4403]); // the socket's session ended, or its token is bad

// `npm run codegen` keeps each operation's text out of the bundle's documents (they carry only
// `__meta__.hash`, "sha256:<hex>"); this manifest holds the texts, sent only to a server that
// does not know the ids yet (404 PERSISTED_QUERY_NOT_FOUND, e.g. `make demo` before
// `satupintu trusted-documents add`). Under TRUSTED_DOCUMENTS=only the ids are all it runs.
const texts: Record<string, string> = manifest;
let serverKnowsIds = true;

type SignedOut = (reason: string) => void;
const signedOutListeners: SignedOut[] = [];
let socket: Socket | null = null;

export function token(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function signIn(newToken: string): void {
  localStorage.setItem(TOKEN_KEY, newToken);
  closeSocket(); // the next subscription opens a socket with the new token
}

/** Forget the token; `reason` (TOKEN_EXPIRED, TOKEN_REVOKED, TOKEN_INVALID, ...) is shown. */
export function signOut(reason = "SIGNED_OUT"): void {
  if (token() === null) return;
  localStorage.removeItem(TOKEN_KEY);
  closeSocket();
  for (const listener of signedOutListeners) listener(reason);
}

export function onSignedOut(listener: SignedOut): void {
  signedOutListeners.push(listener);
}

function closeSocket(): void {
  void socket?.dispose();
  socket = null;
}

/** Every HTTP request: the token, the document by id (or by text once the server said it
 * does not know the ids), and a 401 signs the visitor out. */
async function send(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const bearer = token();
  if (bearer) headers.set("authorization", `Bearer ${bearer}`);
  const byId = { url: String(input), body: typeof init.body === "string" ? init.body : null };
  const post = ({ url, body }: typeof byId) => fetch(url, { ...init, headers, body });
  let response = await post(serverKnowsIds ? byId : byText(byId));
  if (response.status === 404 && serverKnowsIds) {
    serverKnowsIds = false;
    response = await post(byText(byId));
  }
  if (response.status === 401 && bearer) signOut(await reasonOf(response.clone()));
  return response;
}

/** The same request with its document's text instead of its id (`documentId` in the JSON
 * body of a POST, in the URL of a GET). */
function byText({ url, body }: { url: string; body: string | null }) {
  if (body !== null) {
    const { documentId, ...params } = JSON.parse(body) as { documentId?: string };
    const text = documentId === undefined ? undefined : texts[documentId];
    return { url, body: text === undefined ? body : JSON.stringify({ ...params, query: text }) };
  }
  const get = new URL(url);
  const text = texts[get.searchParams.get("documentId") ?? ""];
  if (text !== undefined) {
    get.searchParams.delete("documentId");
    get.searchParams.set("query", text);
  }
  return { url: get.toString(), body };
}

async function reasonOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as {
      errors?: { extensions?: { reason?: string; code?: string } }[];
    };
    const extensions = body.errors?.[0]?.extensions;
    return extensions?.reason ?? extensions?.code ?? "UNAUTHENTICATED";
  } catch {
    return "UNAUTHENTICATED";
  }
}

function openSocket(): Socket {
  socket ??= createSocket({
    url: `${API_URL.replace(/^http/, "ws")}/graphql`,
    lazy: true,
    connectionParams: () => {
      const bearer = token();
      return bearer ? { authorization: `Bearer ${bearer}` } : {};
    },
    on: {
      closed: (event) => {
        const code = (event as CloseEvent | undefined)?.code ?? 0;
        if (SESSION_ENDED.has(code)) signOut("SESSION_ENDED");
      },
    },
  });
  return socket;
}

const client = new Client({
  url: `${API_URL}/graphql`,
  fetch: send,
  // No document cache: every call asks the API (the starter shows what the API says now).
  requestPolicy: "network-only",
  exchanges: [
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => {
          // graphql-ws requires a `query` string: empty beside `documentId`.
          const text = request.documentId ? texts[request.documentId] : undefined;
          const payload = serverKnowsIds
            ? { ...request, query: request.query ?? "" }
            : { ...request, documentId: undefined, query: request.query ?? text ?? "" };
          return { unsubscribe: openSocket().subscribe(payload, sink) };
        },
      }),
    }),
    fetchExchange,
  ],
});

/** A generated document as urql sends a persisted document: its id, no definitions. */
function byId<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
): TypedDocumentNode<Data, Variables> {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash) throw new Error("This document has no id: run `npm run codegen`.");
  return { kind: "Document", definitions: [], documentId: hash } as unknown as TypedDocumentNode<
    Data,
    Variables
  >;
}

/** A refusal to show the visitor: the API's message, or a UserError's. */
export class ApiError extends Error {}

/** The request was answered 401: the visitor is signed out already (see `onSignedOut`). */
export class SignedOutError extends ApiError {}

function data<Data>(result: { data?: Data; error?: CombinedError }): Data {
  if ((result.error?.response as Response | undefined)?.status === 401) {
    throw new SignedOutError(result.error?.message);
  }
  if (result.error || result.data === undefined) {
    throw new ApiError(result.error?.graphQLErrors[0]?.message ?? result.error?.message ?? "?");
  }
  return result.data;
}

export async function query<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<Data> {
  return data(await client.query(byId(document), variables).toPromise());
}

export async function mutate<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<Data> {
  return data(await client.mutation(byId(document), variables).toPromise());
}

/** Calls `next` with each event until the returned function is called. */
export function subscribe<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  next: (data: Data) => void,
  failed: (message: string) => void,
): () => void {
  const { unsubscribe } = client.subscription(byId(document), variables).subscribe((result) => {
    if (result.data) next(result.data);
    else if (result.error) failed(result.error.graphQLErrors[0]?.message ?? result.error.message);
  });
  return unsubscribe;
}

/** A media URL as the API gives it (absolute, or `/media/...` on the API's host). */
export function mediaUrl(url: string): string {
  return new URL(url, API_URL).toString();
}

// The page: search, a product, sign in, cart, COD checkout, and the signed-in seller's orders
// arriving live. Plain DOM; every call goes through ./api.
import {
  ApiError,
  mediaUrl,
  mutate,
  onSignedOut,
  query,
  SignedOutError,
  signIn,
  signOut,
  subscribe,
  token,
} from "./api";
import {
  AddToCart,
  Checkout,
  Login,
  Logout,
  Me,
  MyCart,
  OrderEvents,
  ProductPage,
  Regions,
  SearchProducts,
} from "./operations";

const $ = <T extends HTMLElement = HTMLElement>(selector: string): T => {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`missing ${selector}`);
  return found;
};

/** An element with text (never HTML: what the API says is shown as text). */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text = "",
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.textContent = text;
  element.append(...children);
  return element;
}

function field(form: HTMLFormElement, name: string): string {
  return String(new FormData(form).get(name) ?? "").trim();
}

function notify(message: string): void {
  $("#notice").textContent = message;
}

/** Runs `work`, showing the API's refusal (or a UserError's message) instead of throwing. */
async function attempt(work: () => Promise<void>): Promise<void> {
  notify("");
  try {
    await work();
  } catch (error) {
    if (error instanceof SignedOutError) return; // onSignedOut says so
    notify(error instanceof Error ? error.message : String(error));
  }
}

let stopLive: (() => void)[] = [];

async function showAccount(): Promise<void> {
  for (const stop of stopLive) stop();
  stopLive = [];
  const me = token() ? (await query(Me, {})).me : null;
  $("#login").hidden = me !== null;
  $("#account").hidden = me === null;
  $("#cart").hidden = me === null;
  $("#live").hidden = !me?.shops.length;
  $("#who").textContent = me ? `Masuk sebagai ${me.name}` : "";
  if (!me) return;
  await showCart();
  for (const shop of me.shops) {
    stopLive.push(
      subscribe(
        OrderEvents,
        { shopId: shop.id },
        ({ orderEvents: { type, order } }) => {
          const { number, status, total } = order;
          const line = `${shop.name}: ${type} pesanan ${number} (${status}, ${total.formatted})`;
          $("#events").prepend(el("li", line));
        },
        notify,
      ),
    );
  }
}

async function search(text: string): Promise<void> {
  const { products } = await query(SearchProducts, { query: text });
  $("#count").textContent = `${products.totalCount} produk`;
  $("#results").replaceChildren(
    ...products.edges.map(({ node }) => {
      const open = el("button", "Lihat");
      open.type = "button";
      open.addEventListener("click", () => void attempt(() => showProduct(node.slug)));
      return el("li", `${node.name} · ${node.price.formatted} · ${node.shop.name} `, open);
    }),
  );
}

async function showProduct(slug: string): Promise<void> {
  const { product } = await query(ProductPage, { slug });
  const section = $("#product");
  section.hidden = false;
  if (!product) {
    section.replaceChildren(el("p", "Produk tidak ditemukan."));
    return;
  }
  const pictures = product.images.map((image) => {
    const picture = el("img");
    picture.src = mediaUrl(image.url);
    Object.assign(picture, { alt: image.alt, width: image.width, height: image.height });
    return picture;
  });
  const add = el("button", "Tambah ke keranjang");
  add.type = "button";
  add.disabled = !product.inStock;
  add.addEventListener("click", () =>
    void attempt(async () => {
      if (!token()) throw new ApiError("Masuk dulu untuk belanja.");
      const { addToCart } = await mutate(AddToCart, { productId: product.id, quantity: 1 });
      if (addToCart.errors[0]) throw new ApiError(addToCart.errors[0].message);
      await showCart();
    }),
  );
  section.replaceChildren(
    el("h2", product.name),
    el("p", `${product.price.formatted} · stok ${product.stock} · ${product.shop.name}`),
    el("p", product.description),
    ...pictures,
    add,
  );
}

async function showCart(): Promise<void> {
  const { myCart } = await query(MyCart, {});
  $("#lines").replaceChildren(
    ...myCart.lines.map(({ product, quantity, subtotal }) =>
      el("li", `${product.name} × ${quantity}: ${subtotal.formatted}`),
    ),
  );
  $("#total").textContent = `Total ${myCart.total.formatted} (${myCart.totalQuantity} barang)`;
  $("#checkout").hidden = myCart.lines.length === 0;
  const picker = $<HTMLSelectElement>("#checkout select");
  if (picker.options.length === 0) {
    const { kecamatan } = await query(Regions, {});
    for (const district of kecamatan) {
      const group = document.createElement("optgroup");
      group.label = district.name;
      group.append(...district.kelurahan.map(({ code, name }) => new Option(name, code)));
      picker.append(group);
    }
  }
}

$<HTMLFormElement>("#login").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  void attempt(async () => {
    const credentials = { email: field(form, "email"), password: field(form, "password") };
    const { login } = await mutate(Login, credentials);
    if (!login.token) throw new ApiError(login.errors[0]?.message ?? "Gagal masuk.");
    signIn(login.token);
    form.reset();
    await showAccount();
  });
});

$("#logout").addEventListener("click", () =>
  void attempt(async () => {
    await mutate(Logout, {}).catch(() => undefined); // signed out here whatever the API says
    signOut();
  }),
);

$<HTMLFormElement>("#search").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  void attempt(() => search(field(form, "q")));
});

$<HTMLFormElement>("#checkout").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  void attempt(async () => {
    const { checkout } = await mutate(Checkout, {
      input: {
        paymentMethod: "COD",
        idempotencyKey: crypto.randomUUID(), // a double submit would order twice without it
        shippingAddress: {
          recipient: field(form, "recipient"),
          phone: field(form, "phone"),
          street: field(form, "street"),
          kelurahanCode: field(form, "kelurahan"),
        },
      },
    });
    if (checkout.errors[0]) throw new ApiError(checkout.errors[0].message);
    $("#orders").replaceChildren(
      ...checkout.orders.map((order) =>
        el(
          "li",
          `Pesanan ${order.number} di ${order.shop.name}: ${order.status}, ` +
            `${order.total.formatted} (${order.payment?.method ?? ""})`,
        ),
      ),
    );
    await showCart();
  });
});

onSignedOut((reason) => {
  void attempt(showAccount).then(() => {
    if (reason !== "SIGNED_OUT") notify(`Sesi berakhir (${reason}); silakan masuk lagi.`);
  });
});

void attempt(showAccount);

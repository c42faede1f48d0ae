// Every operation the app sends. `npm run codegen` types them (src/gql/) and writes their
// normalised text to src/gql/persisted-documents.json under their `sha256:<hex>` ids.
import { graphql } from "./gql";

export const SearchProducts = graphql(`
  query StarterSearch($query: String!) {
    products(query: $query, first: 12) {
      totalCount
      edges {
        node {
          id
          slug
          name
          inStock
          price { amount formatted }
          thumbnail(width: 320) { url width height }
          shop { id name }
        }
      }
    }
  }
`);

export const ProductPage = graphql(`
  query StarterProduct($slug: String!) {
    product(slug: $slug) {
      id
      slug
      name
      description
      stock
      inStock
      price { amount formatted }
      images { id alt url width height }
      shop { id slug name }
    }
  }
`);

export const Login = graphql(`
  mutation StarterLogin($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      token
      errors { field code message }
    }
  }
`);

export const Logout = graphql(`
  mutation StarterLogout {
    logout { ok }
  }
`);

export const Me = graphql(`
  query StarterMe {
    me { id name shops { id name } }
  }
`);

export const AddToCart = graphql(`
  mutation StarterAddToCart($productId: ID!, $quantity: Int!) {
    addToCart(productId: $productId, quantity: $quantity) {
      cart { id totalQuantity }
      errors { field code message }
    }
  }
`);

export const MyCart = graphql(`
  query StarterCart {
    myCart {
      id
      totalQuantity
      total { amount formatted }
      lines { id quantity subtotal { formatted } product { id name } }
    }
  }
`);

export const Regions = graphql(`
  query StarterRegions {
    kecamatan { code name kelurahan { code name } }
  }
`);

export const Checkout = graphql(`
  mutation StarterCheckout($input: CheckoutInput!) {
    checkout(input: $input) {
      orders { id number status total { formatted } shop { name } payment { method status } }
      errors { field code message }
    }
  }
`);

export const OrderEvents = graphql(`
  subscription StarterOrderEvents($shopId: ID!) {
    orderEvents(shopId: $shopId) {
      type
      order { id number status total { formatted } }
    }
  }
`);

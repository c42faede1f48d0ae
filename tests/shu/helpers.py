"""SHU through the contract: the preview a pengurus reads before distributing."""

PREVIEW = """query($cooperativeId: ID!, $year: Int!, $input: ShuInput!) {
  shuPreview(cooperativeId: $cooperativeId, year: $year, input: $input) {
    year booksSurplus { amount } surplus { amount } reserve { amount }
    capitalServicePool { amount } memberServicePool { amount } allocationsPayable { amount }
    members { membership { id number } destination averageCapital { amount }
              business { amount } capitalShare { amount } serviceShare { amount }
              total { amount } }
  }
}"""

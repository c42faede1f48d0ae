"""DataLoaders, made fresh for each request so that nothing is cached across users."""

from functools import cached_property

from strawberry.dataloader import DataLoader

from models.catalog import Category, Image, Product, ProductOption, ProductVariant, Review
from models.cooperatives import (
    Cooperative,
    JournalEntry,
    JournalLine,
    Membership,
    Rat,
    SavingsAccount,
)
from models.loans import Loan, LoanInstallment
from models.orders import Complaint, ComplaintStep, Order, OrderLine, OrderStatusChange, Payment
from models.platform import User
from models.shops import Shop
from resolvers import catalog, cooperatives, orders, shops
from resolvers.catalog import images, reviews, variants
from resolvers.cooperatives import journal, rat, savings
from resolvers.loans import views as loan_views
from resolvers.platform import accounts


class Loaders:
    @cached_property
    def user(self) -> DataLoader[int, User | None]:
        return DataLoader(accounts.users_by_ids)

    @cached_property
    def shop(self) -> DataLoader[int, Shop | None]:
        return DataLoader(shops.shops_by_ids)

    @cached_property
    def category(self) -> DataLoader[int, Category | None]:
        return DataLoader(catalog.categories_by_ids)

    @cached_property
    def category_product_count(self) -> DataLoader[int, int]:
        return DataLoader(catalog.active_product_counts)

    @cached_property
    def shipping_methods(self) -> DataLoader[int, list[orders.shipping_methods.Method]]:
        return DataLoader(orders.shipping_methods.methods_of_shops)

    @cached_property
    def shop_product_count(self) -> DataLoader[int, int]:
        return DataLoader(shops.active_product_counts)

    @cached_property
    def image(self) -> DataLoader[int, Image | None]:
        return DataLoader(images.images_by_ids)

    @cached_property
    def product_images(self) -> DataLoader[int, list[Image]]:
        return DataLoader(images.images_of_products)

    @cached_property
    def product_variants(self) -> DataLoader[int, list[ProductVariant]]:
        """Every variant of a product, inactive ones included: the field filters them."""
        return DataLoader(variants.variants_of)

    @cached_property
    def product_options(self) -> DataLoader[int, list[ProductOption]]:
        return DataLoader(variants.options_by_products)

    @cached_property
    def cooperative(self) -> DataLoader[int, Cooperative | None]:
        return DataLoader(cooperatives.cooperatives_by_ids)

    @cached_property
    def member_count(self) -> DataLoader[int, int]:
        return DataLoader(cooperatives.active_member_counts)

    @cached_property
    def last_rat(self) -> DataLoader[int, Rat | None]:
        return DataLoader(rat.last_rats)

    @cached_property
    def journal_entry(self) -> DataLoader[int, JournalEntry | None]:
        return DataLoader(journal.entries_by_ids)

    @cached_property
    def entry_lines(self) -> DataLoader[int, list[JournalLine]]:
        return DataLoader(journal.lines_of_entries)

    @cached_property
    def entry_reversal(self) -> DataLoader[int, JournalEntry | None]:
        return DataLoader(journal.reversals_of)

    @cached_property
    def membership_savings(self) -> DataLoader[int, list[SavingsAccount]]:
        return DataLoader(savings.savings_of_memberships)

    @cached_property
    def membership_loans(self) -> DataLoader[int, list[Loan]]:
        return DataLoader(savings.loans_of_memberships)

    @cached_property
    def membership(self) -> DataLoader[int, Membership | None]:
        return DataLoader(cooperatives.memberships_by_ids)

    @cached_property
    def loan_installments(self) -> DataLoader[int, list[LoanInstallment]]:
        return DataLoader(loan_views.installments_of_loans)

    @cached_property
    def product(self) -> DataLoader[int, Product | None]:
        """Any product, whatever its status: carts and orders keep what is no longer listed."""
        return DataLoader(catalog.products_by_ids)

    @cached_property
    def voucher_products(self) -> DataLoader[int, list[Product]]:
        return DataLoader(orders.vouchers.products_of_vouchers)

    @cached_property
    def order_lines(self) -> DataLoader[int, list[OrderLine]]:
        return DataLoader(orders.lines_of_orders)

    @cached_property
    def order_payment(self) -> DataLoader[int, Payment | None]:
        return DataLoader(orders.payments_of_orders)

    @cached_property
    def order(self) -> DataLoader[int, Order | None]:
        """Any order: only reached from a line or complaint its viewer may already see."""
        return DataLoader(orders.orders_by_ids)

    @cached_property
    def order_complaint(self) -> DataLoader[int, Complaint | None]:
        return DataLoader(orders.complaints.complaints_of_orders)

    @cached_property
    def complaint_steps(self) -> DataLoader[int, list[ComplaintStep]]:
        return DataLoader(orders.complaints.steps_of_complaints)

    @cached_property
    def complaint_photos(self) -> DataLoader[int, list[Image]]:
        return DataLoader(orders.complaints.photos_of_complaints)

    @cached_property
    def order_status_changes(self) -> DataLoader[int, list[OrderStatusChange]]:
        return DataLoader(orders.status_changes_of_orders)

    @cached_property
    def order_line(self) -> DataLoader[int, OrderLine | None]:
        """Any order line: only reached from a review or an order its viewer may see."""
        return DataLoader(reviews.lines_by_ids)

    @cached_property
    def line_review(self) -> DataLoader[int, Review | None]:
        return DataLoader(reviews.reviews_of_lines)

    @cached_property
    def review_photos(self) -> DataLoader[int, list[Image]]:
        return DataLoader(reviews.photos_of_reviews)

    @cached_property
    def product_rating(self) -> DataLoader[int, reviews.Rating]:
        return DataLoader(reviews.product_ratings)

    @cached_property
    def shop_rating(self) -> DataLoader[int, reviews.Rating]:
        return DataLoader(reviews.shop_ratings)

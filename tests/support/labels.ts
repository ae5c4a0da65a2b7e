/** The anomaly types each labelled kind the generator injects shows up as (what a detection of it looks like). */
export const SHOWS_AS: Record<string, string[]> = {
  price_spike: ['price_spike'],
  quantity_spike: ['unexplained_increase'],
  negative_stock: ['negative_stock'],
  stock_drop_without_sales: ['stock_drop_without_sales', 'unexplained_increase'],
  gibberish_description: ['gibberish_description'],
  wrong_category_description: ['wrong_category_description', 'unfamiliar_description'],
};

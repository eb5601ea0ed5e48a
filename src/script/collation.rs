//! The text order of a script run: plain (Excel's) by default, a
//! language's with `--locale`.
//!
//! Tables sort, group and take min/max in many places; passing the order
//! through every one of them would change each signature, so the run
//! sets it for its own thread, for its own duration ([`OrderGuard`]), and
//! [`compare_values`] reads it. Scripts run on one thread (rhai values are
//! `Rc`), so a run never sees another run's order.

use crate::formula::calc::compare_for_sort_in;
use crate::model::collation::TextOrder;
use crate::model::Value;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;

thread_local! {
    static ORDER: RefCell<Option<Rc<TextOrder>>> = const { RefCell::new(None) };
}

/// Compares two values for a script's sort, group or min/max: Excel's
/// sort order, with text in the run's language order when it has one.
pub fn compare_values(a: &Value, b: &Value) -> Ordering {
    ORDER.with(|o| compare_for_sort_in(a, b, o.borrow().as_deref()))
}

/// Sets the text order of this thread until dropped, then restores the
/// one before (a run inside a run, as in tests, gets its own back).
pub(crate) struct OrderGuard(Option<Rc<TextOrder>>);

impl OrderGuard {
    /// Uses `order` (`None`: plain order) until the guard is dropped.
    pub(crate) fn set(order: Option<TextOrder>) -> OrderGuard {
        let previous = ORDER.with(|o| o.replace(order.map(Rc::new)));
        OrderGuard(previous)
    }
}

impl Drop for OrderGuard {
    fn drop(&mut self) {
        let previous = self.0.take();
        ORDER.with(|o| *o.borrow_mut() = previous);
    }
}

//! Looking into a computed workbook without changing it: a formula cell's
//! tree, the formula a spilled cell comes from, and a part of a formula
//! evaluated as its cell would evaluate it. `formula::explain` builds its
//! trees of precedents from these.

use super::{cell_name, failure, timeout_error, Engine};
use crate::formula::ast::Expr;
use crate::formula::calc::CalcValue;
use crate::formula::eval::{contained, CallContext};
use crate::model::CellAddr;
use crate::Result;
use std::sync::Arc;

impl Engine {
    /// The parsed formula of `sheet`!`addr` (as its own text would parse)
    /// and whether it is a dynamic-array formula; `None` for a cell
    /// without a formula, or one whose formula could not be read.
    pub(crate) fn formula_tree(&self, sheet: usize, addr: CellAddr) -> Option<(Arc<Expr>, bool)> {
        let id = self.store.id_at(sheet, addr)?;
        let cell = self.store.cells[id].as_ref()?;
        Some((cell.tree(), cell.dynamic))
    }

    /// The formula cell whose array result spilled into `sheet`!`addr`,
    /// when another one did.
    pub(crate) fn spill_anchor(&self, sheet: usize, addr: CellAddr) -> Option<CellAddr> {
        let id = *self.store.spilled.get(&(sheet, addr))?;
        let anchor = self.store.cells[id].as_ref()?.addr;
        (anchor != addr).then_some(anchor)
    }

    /// Evaluates `expr` as a part of the formula in `sheet`!`addr`: its
    /// unqualified references on that sheet, implicit intersection and
    /// `[@Column]` at that row, with the cell's array mode. Nothing is
    /// stored; the values read are those of the last recalculation.
    pub(crate) fn eval_in_cell(
        &mut self,
        sheet: usize,
        addr: CellAddr,
        expr: &Expr,
    ) -> Result<CalcValue> {
        if let Some((what, limit)) = self.recalc_changes() {
            return Err(timeout_error(&what, limit));
        }
        let dynamic = self.formula_tree(sheet, addr).is_none_or(|(_, d)| d);
        let location = cell_name(&self.wb, sheet, addr);
        let now = self.now();
        self.start_clock();
        let mut ctx = CallContext::new(
            &mut self.wb,
            &mut self.store,
            &mut self.run,
            sheet,
            Some(addr),
            now,
        );
        ctx.dynamic = dynamic;
        let result = contained(|| ctx.eval(expr)).map_err(|detail| failure(&location, &detail))?;
        match self.stopped_at() {
            Some((what, limit)) => Err(timeout_error(&what, limit)),
            None => Ok(result),
        }
    }
}

package engine

import "path/filepath"

// initSlot settles the id slot: an explicit Config.Slot wins and is stored;
// otherwise the stored slot, otherwise 1 until the cluster assigns one.
func (e *Engine) initSlot() error {
	switch {
	case e.cfg.Slot > 0:
		if e.id.Slot != e.cfg.Slot {
			return e.SetSlot(e.cfg.Slot)
		}
	case e.id.Slot > 0:
		if e.id.Slot > e.cfg.Stride {
			return Errorf(CodeInvalid, "stored id slot %d exceeds id stride %d: raise the stride or set id_slot", e.id.Slot, e.cfg.Stride)
		}
	}
	e.slot.Store(int64(max(e.id.Slot, e.cfg.Slot, 1)))
	return nil
}

// Slot returns the node's id slot and whether it was stored (claimed or set
// explicitly) rather than defaulted.
func (e *Engine) Slot() (slot int, stored bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return int(e.slot.Load()), e.id.Slot > 0
}

// Stride returns the id stride.
func (e *Engine) Stride() int { return e.cfg.Stride }

// SetSlot stores a new id slot in the data dir; ids minted from now on use it.
func (e *Engine) SetSlot(slot int) error {
	if slot < 1 || slot > e.cfg.Stride {
		return Errorf(CodeInvalid, "id slot %d is out of range: use 1..%d (the id stride)", slot, e.cfg.Stride)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	id := e.id
	id.Slot = slot
	if err := WriteFileAtomic(filepath.Join(e.cfg.DataDir, identityFile), mustJSON(id)); err != nil {
		return err
	}
	e.id = id
	e.slot.Store(int64(slot))
	return nil
}

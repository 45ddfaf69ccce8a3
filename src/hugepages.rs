//! The binary's allocator: the system allocator, with the large blocks of an index build
//! on transparent huge pages.
//!
//! tantivy inverts a segment in memory: a hash table of every term (tens of MiB) and an
//! arena of 1 MiB pages (GiBs) that holds each term's postings, both touched at random,
//! three times per token. On 4 KiB pages nearly every touch also misses the TLB. Linux
//! backs memory with 2 MiB pages where a mapping asks for it (`MADV_HUGEPAGE`, the
//! default `madvise` mode of `transparent_hugepage`), but only in 2 MiB-aligned ranges,
//! and the system allocator maps a 1 MiB block on its own, never aligned.
//!
//! So blocks of more than 512 KiB up to 1 MiB come from 1 MiB slots of 2 MiB-aligned
//! chunks, and blocks of 2 MiB or more from mappings of their own, 2 MiB-aligned; both
//! are advised `MADV_HUGEPAGE`. A freed slot is returned to the system (`MADV_DONTNEED`) and kept
//! for the next block (up to 16 GiB of them), a freed mapping unmapped. Everything smaller goes to the system
//! allocator. Where the kernel gives no huge pages the blocks are ordinary pages, and
//! where `mmap` fails the allocation fails as the system allocator's would.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;

const SLOT: usize = 1 << 20;
const HUGE_PAGE: usize = 2 << 20;
/// Slots mapped at once.
const CHUNK: usize = 32 * SLOT;
/// Blocks larger than a slot's half take a slot (tantivy's arena pages are 1 MiB).
const SLOT_MIN: usize = SLOT / 2 + 1;
/// Free slots kept (16 GiB); one freed beyond them is unmapped. This also keeps the list
/// of free slots a block of the system allocator (at most 128 KiB), never a slot itself.
const MAX_FREE_SLOTS: usize = 16_384;

/// See the module documentation.
pub struct HugePages {
    /// Addresses of the free slots.
    free: Mutex<Vec<usize>>,
}

impl HugePages {
    pub const fn new() -> HugePages {
        HugePages {
            free: Mutex::new(Vec::new()),
        }
    }

    fn slot(&self) -> *mut u8 {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(address) = free.pop() {
            return address as *mut u8;
        }
        let chunk = map_aligned(CHUNK);
        if chunk.is_null() {
            return chunk;
        }
        // `free` grows through the system allocator (it holds at most
        // `MAX_FREE_SLOTS` + a chunk's addresses), never through a slot: no lock is
        // taken twice.
        free.extend((1..CHUNK / SLOT).map(|i| chunk as usize + i * SLOT));
        chunk
    }

    fn release_slot(&self, ptr: *mut u8) {
        // SAFETY: `ptr` is a slot of a chunk this allocator mapped, no longer used;
        // its pages read as zeros when touched again.
        unsafe { libc::madvise(ptr.cast(), SLOT, libc::MADV_DONTNEED) };
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        if free.len() < MAX_FREE_SLOTS {
            free.push(ptr as usize);
        } else {
            drop(free);
            // SAFETY: as above; nothing refers to the slot any more.
            unsafe { libc::munmap(ptr.cast(), SLOT) };
        }
    }
}

impl Default for HugePages {
    fn default() -> Self {
        HugePages::new()
    }
}

/// `len` rounded up to whole 4 KiB pages.
fn mapped_len(len: usize) -> usize {
    len.div_ceil(4096) * 4096
}

/// A fresh mapping of `len` bytes (a multiple of 4 KiB) aligned to 2 MiB and advised
/// `MADV_HUGEPAGE`, or null.
fn map_aligned(len: usize) -> *mut u8 {
    let padded = len + HUGE_PAGE;
    // SAFETY: an anonymous private mapping; no existing memory is touched.
    let raw = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            padded,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if raw == libc::MAP_FAILED {
        return std::ptr::null_mut();
    }
    let start = raw as usize;
    let aligned = start.next_multiple_of(HUGE_PAGE);
    // SAFETY: both ranges lie inside the mapping just made and are not handed out.
    unsafe {
        if aligned > start {
            libc::munmap(raw, aligned - start);
        }
        let end = aligned + len;
        let tail = start + padded - end;
        if tail > 0 {
            libc::munmap(end as *mut libc::c_void, tail);
        }
        libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
    }
    aligned as *mut u8
}

enum Kind {
    Slot,
    Mapping,
    System,
}

fn kind(layout: &Layout) -> Kind {
    if layout.align() > 4096 {
        Kind::System
    } else if layout.size() >= HUGE_PAGE {
        Kind::Mapping
    } else if layout.size() >= SLOT_MIN && layout.size() <= SLOT {
        Kind::Slot
    } else {
        Kind::System
    }
}

// SAFETY: every block is handed out once and freed by the path that made it: the kind
// depends only on the layout, which `dealloc` receives unchanged.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match kind(&layout) {
            Kind::Slot => self.slot(),
            Kind::Mapping => map_aligned(mapped_len(layout.size())),
            // SAFETY: the caller's contract, passed on.
            Kind::System => unsafe { System.alloc(layout) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match kind(&layout) {
            // Fresh and released slots and fresh mappings read as zeros.
            Kind::Slot | Kind::Mapping => unsafe { self.alloc(layout) },
            // SAFETY: the caller's contract, passed on.
            Kind::System => unsafe { System.alloc_zeroed(layout) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match kind(&layout) {
            Kind::Slot => self.release_slot(ptr),
            // SAFETY: `ptr` is a mapping of this length made by `map_aligned`.
            Kind::Mapping => unsafe {
                libc::munmap(ptr.cast(), mapped_len(layout.size()));
            },
            // SAFETY: the caller's contract, passed on.
            Kind::System => unsafe { System.dealloc(ptr, layout) },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_every_kind_are_aligned_zeroed_and_reused() {
        let heap = HugePages::new();
        for size in [
            16,
            SLOT / 2,
            SLOT_MIN,
            SLOT,
            SLOT + 1,
            HUGE_PAGE,
            5 * HUGE_PAGE + 7,
        ] {
            let layout = Layout::from_size_align(size, 8).unwrap();
            // SAFETY: a non-zero layout; the block is written within bounds and freed
            // with the same layout.
            unsafe {
                let a = heap.alloc_zeroed(layout);
                assert!(!a.is_null(), "{size}");
                assert!(std::slice::from_raw_parts(a, size).iter().all(|&b| b == 0));
                a.write_bytes(0xAB, size);
                if size >= HUGE_PAGE || (SLOT_MIN..=SLOT).contains(&size) {
                    assert_eq!(a as usize % SLOT, 0, "{size}");
                }
                heap.dealloc(a, layout);
                // A released slot comes back zeroed.
                let b = heap.alloc_zeroed(layout);
                assert!(std::slice::from_raw_parts(b, size).iter().all(|&b| b == 0));
                heap.dealloc(b, layout);
            }
        }
    }

    /// The free list stays bounded (a block of the system allocator): slots freed beyond
    /// it are unmapped. The slots are never touched, so this maps 16 GiB but uses none.
    #[test]
    fn free_slots_are_bounded() {
        let heap = HugePages::new();
        let layout = Layout::from_size_align(SLOT, 1).unwrap();
        // SAFETY: the blocks are not touched and are freed with their layout.
        let blocks: Vec<usize> = (0..MAX_FREE_SLOTS + 40)
            .map(|_| unsafe { heap.alloc(layout) } as usize)
            .collect();
        assert!(blocks.iter().all(|&p| p != 0));
        for &p in &blocks {
            // SAFETY: as above.
            unsafe { heap.dealloc(p as *mut u8, layout) };
        }
        let free = heap.free.lock().unwrap();
        assert_eq!(free.len(), MAX_FREE_SLOTS);
        assert!(free.capacity() * size_of::<usize>() < SLOT_MIN);
    }

    #[test]
    fn slots_are_distinct_until_freed() {
        let heap = HugePages::new();
        let layout = Layout::from_size_align(SLOT, 1).unwrap();
        // More than one chunk's worth.
        // SAFETY: blocks are written within bounds and freed with their layout.
        let blocks: Vec<usize> = (0..CHUNK / SLOT + 3)
            .map(|i| unsafe {
                let p = heap.alloc(layout);
                p.write_bytes(i as u8, SLOT);
                p as usize
            })
            .collect();
        let mut sorted = blocks.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), blocks.len());
        for (i, &p) in blocks.iter().enumerate() {
            // SAFETY: as above.
            unsafe {
                assert_eq!(*(p as *const u8).add(SLOT - 1), i as u8);
                heap.dealloc(p as *mut u8, layout);
            }
        }
    }
}

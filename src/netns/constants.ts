// Constants for named namespaces, from <fcntl.h>, <sys/mount.h>, <sys/file.h>, <linux/nsfs.h>, <sys/inotify.h>.
export const O_DIRECTORY = 0o200000;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;

export const MS_BIND = 0x1000;
export const MS_REC = 0x4000;
export const MS_PRIVATE = 1 << 18;
export const MS_SHARED = 1 << 20;
export const MNT_DETACH = 2;

export const LOCK_EX = 2;
export const LOCK_UN = 8;

/** _IO(0xb7, 0x3): which kind of namespace an nsfs fd refers to. */
export const NS_GET_NSTYPE = 0xb703;

/** Longest file name (NAME_MAX), and so the longest namespace name. */
export const NAME_MAX = 255;

// inotify: the events of a directory, and the watch's own.
export const IN_NONBLOCK = 0o4000;
export const IN_CLOEXEC = 0o2000000;
export const IN_CREATE = 0x100;
export const IN_DELETE = 0x200;
export const IN_Q_OVERFLOW = 0x4000;
export const IN_IGNORED = 0x8000;
/** struct inotify_event before its name: wd, mask, cookie, len. */
export const INOTIFY_EVENT_SIZE = 16;

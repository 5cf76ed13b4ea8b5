// Placeholder replaced by the real CLI in the next commit of this session.
int main() { return 0; }

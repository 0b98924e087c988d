import sys
def vbi(n):
    out=b''
    while True:
        c=n&0x7f; n>>=7
        if n: c|=0x80
        out+=bytes([c])
        if not n: return out
def s(x):
    if isinstance(x,str): x=x.encode()
    return len(x).to_bytes(2,'big')+x
def u16(n): return n.to_bytes(2,'big')
def u32(n): return n.to_bytes(4,'big')
def pkt(first, body): return bytes([first])+vbi(len(body))+body
def props(*ps):
    b=b''.join(ps); return vbi(len(b))+b
def connect(level=5, flags=2, ka=60, pr=None, cid='c', will=None, user=None, pw=None, name=None):
    name = name or ('MQIsdp' if level==3 else 'MQTT')
    b=s(name)+bytes([level,flags])+u16(ka)
    if level==5: b+=pr if pr is not None else props()
    b+=s(cid)
    if will:
        wp,wt,wm=will
        if level==5: b+=wp
        b+=s(wt)+s(wm)
    if user is not None: b+=s(user)
    if pw is not None: b+=s(pw)
    return pkt(0x10,b)

# --- the cases: each is a list of (direction, bytes) TCP segments ---------
P = lambda i, b: bytes([i]) + b
allprops = props(
    P(0x01, b'\x01'), P(0x02, u32(600)), P(0x03, s('text/plain')), P(0x08, s('resp/t')),
    P(0x09, s(b'\x01\x02corr')), P(0x0b, vbi(300)), P(0x11, u32(30)), P(0x12, s('assigned')),
    P(0x13, u16(20)), P(0x15, s('SCRAM')), P(0x16, s(b'\x00\xffdata')), P(0x17, b'\x01'),
    P(0x18, u32(5)), P(0x19, b'\x01'), P(0x1a, s('info')), P(0x1c, s('other:1883')),
    P(0x1f, s('because')), P(0x21, u16(10)), P(0x22, u16(5)), P(0x23, u16(3)), P(0x24, b'\x01'),
    P(0x25, b'\x00'), P(0x26, s('k') + s('v')), P(0x27, u32(1048576)), P(0x28, b'\x01'),
    P(0x29, b'\x00'), P(0x2a, b'\x01'))
cases = {
 'v5-all-properties': [('I', connect(5, 0x02, pr=allprops, cid='all')),
                       ('O', pkt(0x20, b'\x01\x00' + allprops)),
                       ('I', pkt(0x32, s('a/b') + u16(7) + allprops + b'payload'))],
 'v5-auth': [('I', connect(5, 0x02, pr=props(P(0x15, s('SCRAM-SHA-1')), P(0x16, s('client-first'))), cid='au')),
             ('O', pkt(0xf0, b'\x18' + props(P(0x15, s('SCRAM-SHA-1')), P(0x16, s('server-first'))))),
             ('I', pkt(0xf0, b'\x18' + props(P(0x15, s('SCRAM-SHA-1')), P(0x1f, s('again'))))),
             ('O', pkt(0xf0, b'')), ('I', pkt(0xf0, b'\x19')), ('O', pkt(0xf0, b'\x07'))],
 'v5-unsub-suback': [('I', connect(5, 0x02, cid='u')),
                     ('I', pkt(0x82, u16(3) + props(P(0x0b, vbi(2097152))) + s('a/#') + b'\x2d' + s('$share/g/x') + b'\x1e' + s('c') + b'\xc3')),
                     ('O', pkt(0x90, u16(3) + props(P(0x1f, s('partly'))) + b'\x00\x01\x02\x80\x83\x87\x8f\x91\x97\x9e\xa1\xa2\x05')),
                     ('I', pkt(0xa2, u16(4) + props(P(0x26, s('a') + s('b'))) + s('a/#') + s('x/y'))),
                     ('O', pkt(0xb0, u16(4) + props() + b'\x00\x11\x83\x87\x8f\x91\x80')),
                     ('O', pkt(0xb0, u16(5) + props()))],
 'v5-disconnect': [('I', connect(5, 0x02, cid='d')),
                   ('I', pkt(0xe0, b'\x8e' + props(P(0x1f, s('taken over')), P(0x11, u32(0)), P(0x1c, s('srv2'))))),
                   ('O', pkt(0xe0, b'\x04')), ('O', pkt(0xe0, b'\x00' + props())), ('O', pkt(0xe0, b'\x8f\x00')),
                   ('O', pkt(0xe0, b'\x93')), ('O', pkt(0xe0, b'\x00'))],
 'v5-acks': [('I', connect(5, 0x02, cid='a')),
             ('O', pkt(0x40, u16(1) + b'\x10')), ('O', pkt(0x40, u16(2) + b'\x99' + props(P(0x1f, s('bad'))))),
             ('O', pkt(0x50, u16(3) + b'\x00\x00')), ('O', pkt(0x50, u16(4) + b'\x91')), ('I', pkt(0x62, u16(4) + b'\x92')),
             ('O', pkt(0x70, u16(4) + b'\x92' + props(P(0x26, s('x') + s('y'))))), ('O', pkt(0x40, u16(9) + b'\x05'))],
 'v5-topic-alias': [('I', connect(5, 0x02, cid='ta')),
                    ('I', pkt(0x30, s('long/topic/name') + props(P(0x23, u16(1))) + b'one')),
                    ('I', pkt(0x30, s('') + props(P(0x23, u16(1))) + b'two')),
                    ('I', pkt(0x32, s('') + u16(5) + props(P(0x23, u16(2))) + b'three')),
                    ('I', pkt(0x30, s('') + props() + b'four')),
                    ('I', pkt(0x30, s('a/b') + props() + b''))],
 'v5-will': [('I', connect(5, 0xf6, pr=props(P(0x11, u32(10))), cid='w',
                          will=(props(P(0x18, u32(5)), P(0x01, b'\x01'), P(0x03, s('text/plain')), P(0x26, s('k') + s('v'))), 'will/t', b'bye'),
                          user='u', pw=b'p')),
             ('O', pkt(0x20, b'\x01\x86' + props(P(0x1f, s('bad creds')))))],
 'v5-connack-codes': [('I', connect(5, 0x02, cid='cc')), ('O', pkt(0x20, b'\x00\x84' + props())),
                      ('O', pkt(0x20, b'\x00\x8b' + props())), ('O', pkt(0x20, b'\x00\x9f' + props()))],
 'v311-misc': [('I', connect(4, 0x3e, cid='m', will=(None, 'w', b'\x00\x01'), user='user')),
               ('O', pkt(0x20, b'\x01\x05')), ('O', pkt(0x20, b'\x00\x09')),
               ('I', pkt(0x82, u16(1) + s('a/+') + b'\x00' + s('b/#') + b'\x01' + s('c') + b'\x02')),
               ('O', pkt(0x90, u16(1) + b'\x00\x01\x80\x02\x03\x07')),
               ('I', pkt(0xa2, u16(2) + s('a/+') + s('b/#'))), ('O', pkt(0xb0, u16(2))),
               ('I', pkt(0x3b, s('dup/retain') + u16(7) + b'x')), ('I', pkt(0x31, s('r') + b'')),
               ('I', pkt(0xc0, b'')), ('O', pkt(0xd0, b'')), ('I', pkt(0xe0, b''))],
 'v31-misc': [('I', connect(3, 0x02, cid='old')), ('O', pkt(0x20, b'\x00\x02')),
              ('I', pkt(0x82, u16(1) + s('a/+') + b'\x01')), ('O', pkt(0x90, u16(1) + b'\x01')),
              ('I', pkt(0x34, s('q2') + u16(2) + b'x')), ('O', pkt(0x50, u16(2))), ('I', pkt(0x62, u16(2))),
              ('I', pkt(0x6a, u16(3))), ('O', pkt(0x70, u16(2))), ('I', pkt(0xa2, u16(3) + s('a/+'))),
              ('O', pkt(0xb0, u16(3)))],
 'strings': [('I', connect(4, 0xc2, cid='tab\there\nnl\\bs"q\x01\x7f', user='é€😀 ok', pw=b'\xff\xfe\xc3')),
             ('I', pkt(0x30, s('t/' + 'x' * 300) + b'y' * 300)),
             ('I', pkt(0x30, s('t/' + 'é' * 130) + bytes(range(40)))),
             ('I', pkt(0x30, s('a\x00b') + b'')),
             ('I', pkt(0x30, s(b'ab\xe2\x82') + b'\x00'))],
 'unknown-version': [('O', pkt(0x20, b'\x00\x00')), ('O', pkt(0x90, u16(1) + b'\x00\x80')), ('I', pkt(0x32, s('a') + u16(1) + b'x')),
                     ('O', pkt(0x40, u16(1))), ('O', pkt(0xb0, u16(2)))],
 'malformed': [('I', connect(4, 0x02, cid='mal')),
               ('I', pkt(0x32, s('a/b'))), ('I', pkt(0x82, u16(1) + s('a'))), ('I', pkt(0x82, u16(1) + b'\x00\x09ab')),
               ('I', pkt(0x82, u16(1) + s('a') + b'\x01' + b'\x00')), ('I', pkt(0xa2, u16(1) + b'\x00')),
               ('O', pkt(0x40, b'\x01')), ('O', pkt(0x20, b'\x00')),
               ('I', pkt(0x10, s('MQTT') + b'\x04\xc2\x00\x3c' + s('id') + s('user') + b'\x00\x10pw')),
               ('I', pkt(0x10, s('MQTT') + b'\x04\x06\x00\x3c' + s('id') + s('wt') + b'\x00\x05xy')),
               ('I', pkt(0x30, b'\x00')), ('I', pkt(0x00, b'')), ('I', pkt(0x00, b'\x01\x02')),
               ('I', pkt(0x10, s('MQTT')))],
 'malformed-v5': [('I', connect(5, 0x02, cid='m5')),
                  ('I', pkt(0x30, s('a') + b'\x05\x01')),
                  ('I', pkt(0x30, s('a') + b'\x05\x26\x00\x01k\x00\x05v')),
                  ('I', pkt(0x30, s('a') + b'\x03\x7f\x01\x02' + b'pay')),
                  ('I', pkt(0x30, s('a') + b'\x02\x23')),
                  ('I', pkt(0x30, s('a') + b'\x80')),
                  ('O', pkt(0x20, b'\x00\x00\x0a\x22\x00')),
                  ('I', connect(5, 0x06, cid='w5', will=(props(), 'w', b'x'))[:-3])],
 'text-prefs': [('I', connect(4, 0x06, cid='tp', will=(None, 'w/t', b'will text \xff'))),
                ('I', pkt(0x30, s('a/b') + b'hello world')), ('I', pkt(0x30, s('a/b') + b'')),
                ('I', pkt(0x30, s('a/b') + b'line1\nline2\ttab \x00nul')),
                ('I', pkt(0x30, s('a/b') + b'z' * 300))],
 'text-prefs-bytes': [('I', connect(4, 0x06, cid='tp', will=(None, 'w/t', b''))),
                      ('I', pkt(0x30, s('a/b') + b'')), ('I', pkt(0x30, s('a/b') + b'z' * 35)),
                      ('I', pkt(0x30, s('a/b') + b'z' * 36)), ('I', pkt(0x30, s('a/b') + b'z' * 37))],
}
text_cases = {'text-prefs'}
import os
here = os.path.dirname(os.path.abspath(__file__))
for name, segs in cases.items():
    with open(os.path.join(here, 'cases', name + '.case'), 'w') as f:
        f.write('# generated by mkcases.py; golden by tshark-golden.sh\n')
        if name in text_cases:
            f.write('#text\n')
        for d, b in segs:
            f.write('%s %s\n' % (d, b.hex()))
